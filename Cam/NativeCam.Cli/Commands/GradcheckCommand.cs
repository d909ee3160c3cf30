using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using NativeCam.Cam;
using NativeCam.Cam.Diagnostics;
using NativeCam.Cam.Probe;
using NativeCam.Cli.Infrastructure;
using NativeCam.Engine;
using NativeCam.Kernels;
using NativeCam.Engine.Graph;

namespace NativeCam.Cli.Commands;

/// <summary>The JSON of `gradcheck --json`.</summary>
public sealed record GradcheckReport(string Model, string Layer, string Utility, int Class, double Epsilon,
    IReadOnlyList<GradientCheckItem> Checks, bool Passed);

/// <summary>
/// `nativecam gradcheck [--model PATH] [--layer NAME|auto] [--utility rest] [--image IMG] [--json] [--directions K]
/// [--seed S] [--class N|top1]`: the model in float64, g and H·A at the layer against central finite differences
/// (<see cref="LayerGradientCheck"/>). Exit 0 when every check passes, 1 when one fails.
/// </summary>
public static class GradcheckCommand
{
    private const string Help =
        "Check the gradient g and H·A at a layer against central finite differences, in float64, along random unit " +
        "directions v over A's non-zero elements (zero activations sit on ReLU and clamp kinks, where no derivative exists): (a) ⟨g, v⟩ vs (u(A+hv) − u(A−hv))/2h with h = ε‖A‖; (b) ⟨v, H·A⟩ and the whole H·A vs " +
        "(g(A+εA) − g(A−εA))/2ε; (c) Hessian symmetry ⟨w, Hv⟩ = ⟨v, Hw⟩. Relative error = |exact − estimate| / " +
        "max(|exact|, |estimate|); it passes at ≤ --tolerance (1e-6: float64 differences agree to about 1e-8, a wrong " +
        "derivative misses by far more). Without --image the input is a deterministic random image (uniform in [−2, 2] " +
        "after normalisation, from --seed). Exit code 1 when a check fails.";

    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var model = CommonOptions.Model();
        var layer = new Option<string>("--layer") { Description = "Target tensor name, or auto", DefaultValueFactory = _ => "auto" };
        var utility = new Option<string>("--utility") { Description = "rest, logit, softmax or log-softmax", DefaultValueFactory = _ => "rest" };
        var image = new Option<string?>("--image") { Description = "An image (preprocessed as for explain); default: a deterministic random input from --seed" };
        var json = CommonOptions.Json();
        var directions = new Option<int>("--directions") { Description = "Number of random unit directions K", DefaultValueFactory = _ => 4 };
        directions.Validators.Add(r =>
        {
            if (CommonOptions.TryValue<int?>(r) is int k && (k < 1 || k > 1000)) r.AddError($"--directions must be between 1 and 1000; got {k}");
        });
        var seed = new Option<int>("--seed") { Description = "Seed of the directions (and of the random input)", DefaultValueFactory = _ => 0 };
        var cls = new Option<string>("--class") { Description = "Class index, or top1", DefaultValueFactory = _ => "top1" };
        var epsilon = new Option<double>("--epsilon") { Description = "Relative finite-difference step ε (steps ε‖A‖ and ε·A)", DefaultValueFactory = _ => 1e-5 };
        epsilon.Validators.Add(r =>
        {
            if (CommonOptions.TryValue<double?>(r) is double e && !(e > 0 && e < 1)) r.AddError($"--epsilon must be in (0, 1); got {e}");
        });
        var tolerance = new Option<double>("--tolerance") { Description = "Largest passing relative error", DefaultValueFactory = _ => 1e-6 };
        tolerance.Validators.Add(r =>
        {
            if (CommonOptions.TryValue<double?>(r) is double t && !(t > 0 && t < double.PositiveInfinity)) r.AddError($"--tolerance must be positive; got {t}");
        });
        var threads = CommonOptions.Threads();
        var outputName = CommonOptions.OutputName();
        var allowTruncated = CommonOptions.AllowTruncated();
        var command = new Command("gradcheck", Help) { model, layer, utility, image, json, directions, seed, cls, epsilon, tolerance, threads, outputName, allowTruncated };
        command.SetAction(parse => Run(context, parse.GetValue(model), parse.GetValue(layer)!, ExplainSettings.ParseUtility(parse.GetValue(utility)!),
            parse.GetValue(image), parse.GetValue(json), ExplainSettings.ParseClass(parse.GetValue(cls)!), parse.GetValue(threads),
            new LayerGradientCheckOptions(parse.GetValue(directions), parse.GetValue(seed), parse.GetValue(epsilon), parse.GetValue(tolerance)),
            parse.GetValue(outputName), parse.GetValue(allowTruncated)));
        return command;
    }

    private static int Run(CliContext context, string? modelPath, string layerOption, Utility utility, string? imagePath, bool json,
        int? explainedClass, int? threads, LayerGradientCheckOptions options, string? outputName, bool allowTruncated)
    {
        if (imagePath is not null && !File.Exists(imagePath)) throw new UsageException($"{imagePath}: no such image file");
        var session = ModelSession.Open(modelPath, "cpu", threads, context.Error, DType.Float64, outputName);
        if (explainedClass is int c && c >= session.ClassCount)
            throw new UsageException($"--class {c} is out of range: the model has {session.ClassCount} classes (0..{session.ClassCount - 1})");
        string layer = ResolveLayer(session, layerOption);
        var backend = session.Model.Backend;
        Tensor input = imagePath is null
            ? Tensor.Uniform(session.Model.InputShape, options.Seed, -2, 2, DType.Float64, backend)
            : Tensor.FromDoubles(PreparedImage.Load(imagePath, session, allowTruncated).Input.ToArray(), session.Model.InputShape, DType.Float64, backend);
        context.Error.WriteLine($"checking {session.Name} at '{layer}' in float64 ({options.Directions} random direction(s))…");
        var result = LayerGradientCheck.Run(session.Model, input, layer, utility, explainedClass, options);
        var report = new GradcheckReport(session.Name, layer, utility.Name(), result.Class, result.Epsilon, result.Checks, result.Passed);
        if (json) context.Out.WriteLine(JsonSerializer.Serialize(report, JsonOptions));
        else PrintText(context.Out, report, imagePath, options.Seed, session.LabelOf(result.Class));
        if (!result.Passed)
        {
            int failed = result.Checks.Count(k => !k.Passed);
            context.Error.WriteLine($"error: {failed} of {result.Checks.Count} derivative checks exceed the tolerance {options.Tolerance:G3}");
            return ExitCodes.RuntimeError;
        }
        return ExitCodes.Ok;
    }

    /// <summary>--layer: auto, or a candidate target tensor (usage error with suggestions otherwise).</summary>
    private static string ResolveLayer(ModelSession session, string value)
    {
        value = value.Trim();
        if (value.Equals("auto", StringComparison.OrdinalIgnoreCase)) return LayerSelection.Auto(session.Model);
        if (value.Contains(',')) throw new UsageException("--layer takes one tensor name for gradcheck");
        var candidates = LayerSelection.Candidates(session.Model).Select(l => l.Name).ToList();
        if (!candidates.Contains(value)) throw new UsageException(NearestNames.Unknown("layer", value, candidates) + " (see `nativecam layers`)");
        return value;
    }

    private static void PrintText(TextWriter o, GradcheckReport r, string? imagePath, int seed, string label)
    {
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine($"model    {r.Model}");
        o.WriteLine($"layer    {r.Layer}");
        o.WriteLine($"input    {imagePath ?? string.Create(inv, $"random (seed {seed})")}");
        o.WriteLine($"utility  {r.Utility}, class {r.Class} ({label})");
        o.WriteLine(string.Create(inv, $"epsilon  {r.Epsilon:G3} (steps ε·‖A‖ along unit directions, ε·A for H·A)"));
        int width = Math.Max(5, r.Checks.Max(k => k.Name.Length));
        o.WriteLine($"{"check".PadRight(width)}  {"relative error",14}  {"tolerance",9}  result");
        foreach (var k in r.Checks)
            o.WriteLine(string.Create(inv, $"{k.Name.PadRight(width)}  {k.RelativeError.ToString("0.00E+00", inv),14}  {k.Tolerance,9:G3}  {(k.Passed ? "pass" : "FAIL")}"));
        o.WriteLine($"{(r.Passed ? "passed" : "FAILED")}: {r.Checks.Count(k => k.Passed)} of {r.Checks.Count} checks within tolerance");
    }

    /// <summary>The CLI's JSON settings, writing a NaN error (a derivative that broke down) as "NaN".</summary>
    private static readonly JsonSerializerOptions JsonOptions = new(Json.Options) { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
}
