using NativeCam.Cam;
using NativeCam.Cam.Methods;
using NativeCam.Cam.Probe;
using NativeCam.Cli.Infrastructure;

namespace NativeCam.Cli.Commands;

/// <summary>The explain command's options, validated against the model.</summary>
public sealed record ExplainSettings(IReadOnlyList<string> Inputs, string? ModelPath, IReadOnlyList<string> Methods,
    IReadOnlyList<string>? Layers, int? Class, Utility Utility, string Output, bool Raw, bool Signals, bool Json,
    bool AugSmooth, bool EigenSmooth, double ImageWeight, string Device, int? Threads, bool Force, LayerLayout Layout = LayerLayout.Auto,
    string? OutputName = null, bool AllowTruncated = false, MethodParameters? Parameters = null)
{
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
        if (Class is int c && c >= session.ClassCount)
            throw new UsageException($"--class {c} is out of range: the model has {session.ClassCount} classes (0..{session.ClassCount - 1})");
        if (Layers is null) return;
        var candidates = LayerSelection.Candidates(session.Model).Select(l => l.Name).ToList();
        foreach (var l in Layers)
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
