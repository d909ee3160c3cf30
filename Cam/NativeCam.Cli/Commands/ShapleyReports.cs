namespace NativeCam.Cli.Commands;

/// <summary>The sampled channel-Shapley values of one image and their agreement with ShapleyCAM and GradCAM.</summary>
/// <remarks>Statistics that are undefined (a constant vector, a single antithetic pair) are null.</remarks>
public sealed record ShapleyImageReport(string Image, int Class, string ClassName, int Samples, int Seed, string Layer,
    string Utility, double FullValue, double EmptyValue, double FullMinusEmpty, double SumOfValues, double EfficiencyResidual,
    double? MeanStdError, double? RelativeStdError, IReadOnlyList<double> Values, IReadOnlyList<double?> StdErrors,
    IReadOnlyList<double> ShapleycamContributions, IReadOnlyList<double> GradcamContributions,
    double? SpearmanShapleycam, double? SpearmanGradcam, double? PearsonShapleycam, double? PearsonGradcam,
    int TopK, double TopKOverlapShapleycam, double TopKOverlapGradcam, double Seconds);

/// <summary>The `shapley --json` document.</summary>
public sealed record ShapleyReport(string Model, string Device, int Threads, string Layer, string Utility, int Samples, int Seed,
    int BatchSize, IReadOnlyList<ShapleyImageReport> Images, IReadOnlyList<Failure> Failures);
