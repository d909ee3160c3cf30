using NativeCam.Kernels;

namespace NativeCam.Importers.Onnx;

/// <summary>How to import a model, and the limits that protect against hostile files.</summary>
public sealed record OnnxImportOptions
{
    /// <summary>Largest model file accepted, in bytes (default 2 GiB − 1, the protobuf limit).</summary>
    public long MaxModelBytes { get; init; } = int.MaxValue;

    /// <summary>Largest element count of any tensor (initializer or computed at import); default 2²⁸.</summary>
    public long MaxTensorElements { get; init; } = 1L << 28;

    /// <summary>Largest tensor rank; default 8.</summary>
    public int MaxRank { get; init; } = 8;

    /// <summary>Deepest protobuf message nesting (sub-graphs, attributes); default 64.</summary>
    public int MaxNestingDepth { get; init; } = 64;

    /// <summary>
    /// The input shape to import for, [N, C, H, W]. Default: the model's declared shape with symbolic or unknown
    /// dims taken as 1 for the batch and from this option otherwise.
    /// </summary>
    public int[]? InputShape { get; init; }

    /// <summary>The graph output the model's <see cref="NativeCam.Engine.Graph.Model.OutputName"/> refers to; default the first one.</summary>
    public string? OutputName { get; init; }

    /// <summary>The float type the graph computes in (Float64 for gradient checks).</summary>
    public DType DType { get; init; } = DType.Float32;

    /// <summary>The backend; default the engine's default CPU backend.</summary>
    public IKernels? Backend { get; init; }

    /// <summary>
    /// Rewrite the graph for speed before import (default true): dead nodes removed, BatchNormalization folded into
    /// convolutions, residual adds and activations fused into them. Values are unchanged up to rounding; tensors
    /// that fusion hides are listed in <see cref="NativeCam.Engine.Graph.Model.TensorShapes"/> but not computed, unless kept.
    /// </summary>
    public bool Optimize { get; init; } = true;

    /// <summary>
    /// Tensors, besides the graph outputs, that optimisation must keep materialised (e.g. CAM target layers).
    /// <see cref="NativeCam.Engine.Graph.Model.WithKept"/> sets it.
    /// </summary>
    public IReadOnlyCollection<string>? KeepTensors { get; init; }
}
