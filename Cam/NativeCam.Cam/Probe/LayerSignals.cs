using NativeCam.Engine;

namespace NativeCam.Cam.Probe;

/// <summary>What a CAM method reads at one target layer, all [N, C, h, w].</summary>
/// <param name="Layer">The target tensor's name.</param>
/// <param name="Activations">A.</param>
/// <param name="Gradients">g = ∂u/∂A.</param>
/// <param name="HessianTimesActivations">H·A (null when not requested).</param>
public sealed record LayerSignals(string Layer, Tensor Activations, Tensor Gradients, Tensor? HessianTimesActivations);

/// <summary>The result of probing: logits, the classes explained, and the signals per layer.</summary>
/// <param name="Logits">[N, K].</param>
/// <param name="Classes">The class explained for each image.</param>
/// <param name="Layers">Signals per target layer, in the order asked.</param>
public sealed record ProbeResult(Tensor Logits, int[] Classes, IReadOnlyList<LayerSignals> Layers);
