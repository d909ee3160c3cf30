namespace NativeCam.Cli.Commands;

/// <summary>A class and its probability.</summary>
public sealed record ClassScore(int Class, string Name, double Probability);

/// <summary>An input that failed.</summary>
public sealed record Failure(string File, string Error);

/// <summary>One method's outputs for one image.</summary>
/// <param name="Seconds">The method's own time (weights and post-processing), excluding the shared probe.</param>
/// <param name="Extras">Figures the method reports besides its map (e.g. integrated gradients' completenessResidual); null when none.</param>
public sealed record MethodReport(string Method, string Overlay, string? Raw, double Seconds, double OverlaySeconds,
    IReadOnlyDictionary<string, double>? Extras = null);

/// <summary>The --signals files of one image.</summary>
public sealed record SignalFiles(string Layer, string Activations, string Gradients, string Hvp, string Logits);

/// <summary>The explanation of one image.</summary>
public sealed record ExplainImageReport(string File, int Width, int Height, IReadOnlyList<ClassScore> Top5, int Class,
    string ClassName, double ClassProbability, double LoadSeconds, double ProbeSeconds, IReadOnlyList<MethodReport> Methods,
    SignalFiles? Signals);

/// <summary>The `explain --json` document.</summary>
public sealed record ExplainReport(string Model, string Device, int Threads, string Utility, IReadOnlyList<string> Layers,
    IReadOnlyList<string> Methods, string Output, IReadOnlyList<ExplainImageReport> Images, IReadOnlyList<Failure> Failures);

/// <summary>The classification of one image.</summary>
public sealed record ClassifyImageReport(string File, int Width, int Height, IReadOnlyList<ClassScore> Top);

/// <summary>The `classify --json` document.</summary>
public sealed record ClassifyReport(string Model, IReadOnlyList<ClassifyImageReport> Images, IReadOnlyList<Failure> Failures);

/// <summary>A candidate target tensor.</summary>
public sealed record LayerReport(string Name, string Op, IReadOnlyList<int> Shape, bool Auto);

/// <summary>The `layers --json` document.</summary>
public sealed record LayersReport(string Model, string? Auto, IReadOnlyList<LayerReport> Layers);
