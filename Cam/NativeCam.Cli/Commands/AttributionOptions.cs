using System.CommandLine;
using NativeCam.Cam.Methods;
using NativeCam.Cam.Metrics;
using NativeCam.Cli.Infrastructure;

namespace NativeCam.Cli.Commands;

/// <summary>
/// The input attributions' and perturbation methods' options, shared by explain and eval; eval also gets the
/// attribution metrics' options. Integrated gradients' steps are --steps on explain and --ig-steps on eval (whose
/// --steps are the curves').
/// </summary>
/// <param name="command">The command they belong to ("explain" or "eval").</param>
public sealed class AttributionOptions(string command)
{
    private static readonly AttributionParameters Defaults = new();
    private static readonly AttributionMetricParameters MetricDefaults = new();

    private readonly Option<int> _samples = new("--samples") { Description = "smoothgrad: noisy samples per image", DefaultValueFactory = _ => Defaults.Samples };
    private readonly Option<double> _noise = new("--noise") { Description = "smoothgrad: noise σ as a fraction of the image's value range", DefaultValueFactory = _ => Defaults.Noise };
    private readonly Option<int> _steps = new(command == "eval" ? "--ig-steps" : "--steps") { Description = "integrated-gradients: steps of the path integral", DefaultValueFactory = _ => Defaults.Steps };
    private readonly Option<string> _baseline = new("--baseline") { Description = "integrated-gradients: black or blur", DefaultValueFactory = _ => "black" };
    private readonly Option<double> _blurSigma = new("--blur-sigma") { Description = "integrated-gradients: σ in pixels of the blurred baseline", DefaultValueFactory = _ => Defaults.BlurSigma };
    private readonly Option<int> _masks = new("--masks") { Description = "rise: random masks per image", DefaultValueFactory = _ => Defaults.Masks };
    private readonly Option<int> _maskCells = new("--mask-cells") { Description = "rise: cells per side of the mask grid", DefaultValueFactory = _ => Defaults.MaskCells };
    private readonly Option<double> _keep = new("--keep-probability") { Description = "rise: probability that a mask cell is kept", DefaultValueFactory = _ => Defaults.KeepProbability };
    private readonly Option<int> _window = new("--window") { Description = "occlusion: window side in pixels", DefaultValueFactory = _ => Defaults.Window };
    private readonly Option<int> _stride = new("--stride") { Description = "occlusion: window step in pixels", DefaultValueFactory = _ => Defaults.Stride };
    private readonly Option<int> _runs = new("--faithfulness-runs") { Description = "faithfulness-correlation: random pixel subsets per image", DefaultValueFactory = _ => MetricDefaults.FaithfulnessRuns };
    private readonly Option<int> _subset = new("--faithfulness-subset") { Description = "faithfulness-correlation: pixels per subset", DefaultValueFactory = _ => MetricDefaults.FaithfulnessSubset };
    private readonly Option<int> _monotonicity = new("--monotonicity-step") { Description = "monotonicity: pixels inserted per step", DefaultValueFactory = _ => MetricDefaults.MonotonicityStep };
    private readonly Option<int> _layers = new("--randomized-layers") { Description = "model-randomization: weight layers randomised from the top, in cascade (0: all)", DefaultValueFactory = _ => MetricDefaults.RandomizedLayers };

    /// <summary>The command these options belong to.</summary>
    public string Command { get; } = command;

    /// <summary>Every option.</summary>
    public IReadOnlyList<Option> All => Command == "eval"
        ? [_samples, _noise, _steps, _baseline, _blurSigma, _masks, _maskCells, _keep, _window, _stride, _runs, _subset, _monotonicity, _layers]
        : [_samples, _noise, _steps, _baseline, _blurSigma, _masks, _maskCells, _keep, _window, _stride];

    /// <summary>The parsed settings.</summary>
    /// <exception cref="UsageException">A value out of range (the message names the option).</exception>
    public AttributionParameters Read(ParseResult parse)
    {
        var baseline = parse.GetValue(_baseline)!.Trim().ToLowerInvariant() switch
        {
            "black" => IntegratedGradientsBaseline.Black,
            "blur" or "blurred" => IntegratedGradientsBaseline.Blur,
            var other => throw new UsageException($"--baseline must be black or blur; got '{other}'"),
        };
        var metrics = Command == "eval"
            ? new AttributionMetricParameters
            {
                FaithfulnessRuns = parse.GetValue(_runs),
                FaithfulnessSubset = parse.GetValue(_subset),
                MonotonicityStep = parse.GetValue(_monotonicity),
                RandomizedLayers = parse.GetValue(_layers),
            }
            : MetricDefaults;
        var p = new AttributionParameters
        {
            Samples = parse.GetValue(_samples),
            Noise = parse.GetValue(_noise),
            Steps = parse.GetValue(_steps),
            Baseline = baseline,
            BlurSigma = parse.GetValue(_blurSigma),
            Masks = parse.GetValue(_masks),
            MaskCells = parse.GetValue(_maskCells),
            KeepProbability = parse.GetValue(_keep),
            Window = parse.GetValue(_window),
            Stride = parse.GetValue(_stride),
            Metrics = metrics,
        };
        try
        {
            p.Validate(_steps.Name);
            metrics.Validate();
        }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        return p;
    }
}
