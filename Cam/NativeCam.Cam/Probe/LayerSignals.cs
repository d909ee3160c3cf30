using NativeCam.Engine;

namespace NativeCam.Cam.Probe;

/// <summary>What a CAM method reads at one target layer, all [N, C, h, w].</summary>
/// <param name="Layer">The target tensor's name.</param>
/// <param name="Activations">A.</param>
/// <param name="Gradients">g = ∂u/∂A.</param>
/// <param name="HessianTimesActivations">H·A (null when not requested).</param>
public sealed record LayerSignals(string Layer, Tensor Activations, Tensor Gradients, Tensor? HessianTimesActivations)
{
    /// <summary>The layout the target tensor has in the model (what <see cref="Activations"/> was read from).</summary>
    public LayerLayout Layout { get; init; } = LayerLayout.Nchw;

    /// <summary>A in the model's own layout, [N, …] (null: the same as <see cref="Activations"/>).</summary>
    public Tensor? NativeActivations { get; init; }

    /// <summary>The tensors, besides A, that the head reads from upstream (for re-running the head alone).</summary>
    public IReadOnlyDictionary<string, Tensor> SideInputs { get; init; } = new Dictionary<string, Tensor>();
}

/// <summary>The result of probing: logits, the classes explained, and the signals per layer.</summary>
/// <param name="Logits">[N, K].</param>
/// <param name="Classes">The class explained for each image.</param>
/// <param name="Layers">Signals per target layer, in the order asked.</param>
public sealed record ProbeResult(Tensor Logits, int[] Classes, IReadOnlyList<LayerSignals> Layers);
