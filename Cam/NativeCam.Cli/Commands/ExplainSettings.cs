using NativeCam.Cam;
using NativeCam.Cam.Methods;
using NativeCam.Cam.Probe;
using NativeCam.Cli.Infrastructure;

namespace NativeCam.Cli.Commands;

/// <summary>
/// The explain command's options: what to explain is the library's own <see cref="ExplainOptions"/> (parsed from the
/// flags and handed to <see cref="Explainer"/> as is); the rest says where the images come from and where results go.
/// </summary>
public sealed record ExplainSettings
{
    /// <summary>Image files or folders.</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>The ONNX model (null: the embedded one).</summary>
    public string? ModelPath { get; init; }

    /// <summary>What to explain and how (methods, layers, class, utility, smoothing, layout, seed, method settings).</summary>
    public required ExplainOptions Options { get; init; }

    /// <summary>Output folder.</summary>
    public string Output { get; init; } = "nativecam-out";

    /// <summary>Also write the raw maps as .npy.</summary>
    public bool Raw { get; init; }

    /// <summary>Also write the signals of the first target layer and the logits as .npy.</summary>
    public bool Signals { get; init; }

    /// <summary>Print one JSON document instead of text.</summary>
    public bool Json { get; init; }

    /// <summary>Overlay blend weight of the photo.</summary>
    public double ImageWeight { get; init; } = 0.5;

    /// <summary>Device name (cpu, gpu, ilgpu-cpu, …).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>CPU threads (null: all cores).</summary>
    public int? Threads { get; init; }

    /// <summary>Overwrite existing outputs.</summary>
    public bool Force { get; init; }

    /// <summary>The model output explained (null: the model's only or first output).</summary>
    public string? OutputName { get; init; }

    /// <summary>Accept truncated images.</summary>
    public bool AllowTruncated { get; init; }

    /// <summary>Images per forward pass and probe (null: 8 on the CPU, 32 on a GPU).</summary>
    public int? BatchSize { get; init; }

    /// <summary>Parses --method (comma-separated; unknown names are usage errors with suggestions).</summary>
    public static IReadOnlyList<string> ParseMethods(string value)
    {
        var names = Split(value, "--method");
        foreach (var n in names)
            if (!CamMethods.Names.Contains(n, StringComparer.OrdinalIgnoreCase))
                throw new UsageException(NearestNames.Unknown("method", n, CamMethods.Names) + $"; available: {string.Join(", ", CamMethods.Names.Order())}");
        return names.Select(n => n.ToLowerInvariant()).Distinct().ToList();
    }

    /// <summary>Parses --layer: null for auto.</summary>
    public static IReadOnlyList<string>? ParseLayers(string value) =>
        value.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase) ? null : Split(value, "--layer");

    /// <summary>Parses --class: null for top1.</summary>
    public static int? ParseClass(string value)
    {
        if (value.Trim().Equals("top1", StringComparison.OrdinalIgnoreCase)) return null;
        if (int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int c) && c >= 0)
            return c;
        throw new UsageException($"--class must be a class index ≥ 0 or 'top1'; got '{value}'");
    }

    /// <summary>Parses --layout.</summary>
    public static LayerLayout ParseLayout(string value)
    {
        try { return Layouts.Parse(value.Trim()); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    /// <summary>Parses --utility.</summary>
    public static Utility ParseUtility(string value)
    {
        try { return Utilities.Parse(value.Trim()); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    /// <summary>Checks the class and layers against the model (usage errors with suggestions).</summary>
    public void Validate(ModelSession session)
    {
        if (Options.Classes is [int c] && c >= session.ClassCount)
            throw new UsageException($"--class {c} is out of range: the model has {session.ClassCount} classes (0..{session.ClassCount - 1})");
        if (Options.Layers.Count == 0) return;
        var candidates = LayerSelection.Candidates(session.Model).Select(l => l.Name).ToList();
        foreach (var l in Options.Layers)
            if (!session.Model.TensorShapes.ContainsKey(l) || !candidates.Contains(l))
                throw new UsageException(NearestNames.Unknown("layer", l, candidates) + " (see `nativecam layers`)");
    }

    private static List<string> Split(string value, string option)
    {
        var parts = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        if (parts.Count == 0) throw new UsageException($"{option} needs at least one name");
        return parts;
    }
}
