using NativeCam.Cam.Methods;
using NativeCam.Cam.Probe;

namespace NativeCam.Cam;

/// <summary>What to explain and how.</summary>
public sealed record ExplainOptions
{
    /// <summary>Method names (see <see cref="Methods.CamMethods.Names"/>); default ShapleyCAM.</summary>
    public IReadOnlyList<string> Methods { get; init; } = ["shapleycam"];

    /// <summary>Target tensor names; empty picks the automatic layer.</summary>
    public IReadOnlyList<string> Layers { get; init; } = [];

    /// <summary>The utility differentiated; default ReST.</summary>
    public Utility Utility { get; init; } = Utility.Rest;

    /// <summary>Class per image (one value applies to all); null explains each image's top-1.</summary>
    public int[]? Classes { get; init; }

    /// <summary>Layout of the target tensors.</summary>
    public LayerLayout Layout { get; init; } = LayerLayout.Auto;

    /// <summary>Seed of random methods.</summary>
    public int Seed { get; init; }

    /// <summary>Batch size for methods that run many forward passes.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>
    /// Test-time augmentation as the reference library's aug_smooth: horizontal flips × input multiplied by 0.9, 1.0,
    /// 1.1; the six final maps are un-augmented and averaged. The classes explained are those of the un-augmented
    /// input.
    /// </summary>
    public bool AugSmooth { get; init; }

    /// <summary>
    /// The reference library's eigen_smooth: each method's weighted activations are replaced by their projection on
    /// the first principal component instead of being summed over channels (deterministic sign, see
    /// <see cref="Smoothing.EigenProjection"/>).
    /// </summary>
    public bool EigenSmooth { get; init; }

    /// <summary>Settings of the methods that take any.</summary>
    public MethodParameters Parameters { get; init; } = new();

    /// <summary>Compute H·A at the target layers even when no method needs it (for writing the signals).</summary>
    public bool WithHvp { get; init; }

    /// <summary>The index in the run of the batch's first image: random methods seed image i of the batch by
    /// (<see cref="Seed"/>, <see cref="ImageIndex"/> + i, <see cref="Call"/>), so maps do not depend on batching.</summary>
    public long ImageIndex { get; init; }

    /// <summary>Per image of the batch, its index in the run (null: <see cref="ImageIndex"/> + i).</summary>
    public IReadOnlyList<long>? ImageIndices { get; init; }

    /// <summary>Which call on these images this is (0 the explanation; the evaluation's coherency re-run is 1).</summary>
    public int Call { get; init; }
}
