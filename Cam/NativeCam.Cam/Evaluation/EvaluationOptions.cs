using NativeCam.Cam.Methods;
using NativeCam.Cam.Metrics;
using NativeCam.Cam.Probe;

namespace NativeCam.Cam.Evaluation;

/// <summary>What an <see cref="Evaluator"/> computes, and how.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Method names (see <see cref="Methods.CamMethods.Names"/>).</summary>
    public IReadOnlyList<string> Methods { get; init; } = ["gradcam", "shapleycam"];

    /// <summary>Target tensor names; empty picks the automatic layer.</summary>
    public IReadOnlyList<string> Layers { get; init; } = [];

    /// <summary>The utility the CAMs differentiate (the scores always use the softmax probability).</summary>
    public Utility Utility { get; init; } = Utility.Rest;

    /// <summary>Layout of the target tensors.</summary>
    public LayerLayout Layout { get; init; } = LayerLayout.Auto;

    /// <summary>The metric families computed.</summary>
    public EvaluationMetrics Metrics { get; init; } = EvaluationMetrics.All;

    /// <summary>Steps of the deletion and insertion curves (each curve has Steps + 1 points).</summary>
    public int CurveSteps { get; init; } = 32;

    /// <summary>ROAD settings (null: its defaults).</summary>
    public RoadOptions? Road { get; init; }

    /// <summary>Largest batch of images sent through the model at once.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>
    /// Most images the metrics send through the model in one call (the masked images of Y/O/D, ROAD and the
    /// deletion/insertion curves go in chunks of this size); null derives it from the model's activation size
    /// (<see cref="MetricBatch.For(NativeCam.Engine.Graph.Model, IEnumerable{int}, long)"/>). Scores do not depend on it.
    /// </summary>
    public int? MaxBatch { get; init; }

    /// <summary>Seed of random methods.</summary>
    public int Seed { get; init; }

    /// <summary>Settings of the methods that take any.</summary>
    public MethodParameters Parameters { get; init; } = new();
}
