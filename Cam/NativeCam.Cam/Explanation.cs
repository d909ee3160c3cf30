using NativeCam.Cam.Probe;

namespace NativeCam.Cam;

/// <summary>The maps of one method for a batch.</summary>
/// <param name="Method">The method's name.</param>
/// <param name="Maps">Per image, the final map [H·W] in [0, 1] at model-input resolution, row-major.</param>
/// <param name="Seconds">Time spent on this method (its weights and post-processing; the shared probe excluded).</param>
public sealed record MethodMaps(string Method, float[][] Maps, double Seconds)
{
    /// <summary>Per-image figures some methods report besides their maps, by name (e.g. integrated gradients'
    /// completeness residual); null when the method has none.</summary>
    public IReadOnlyDictionary<string, double[]>? Extras { get; init; }
}

/// <summary>The explanation of a batch.</summary>
/// <param name="Probabilities">Per image, softmax of the logits.</param>
/// <param name="Classes">The class explained per image.</param>
/// <param name="Layers">The target layers used.</param>
/// <param name="Height">Map height (the model input's).</param>
/// <param name="Width">Map width.</param>
/// <param name="Methods">One entry per method asked.</param>
/// <param name="Signals">The signals at the target layers (for --signals).</param>
/// <param name="ProbeSeconds">Time of the forward pass and the probe.</param>
public sealed record Explanation(float[][] Probabilities, int[] Classes, IReadOnlyList<string> Layers, int Height, int Width,
    IReadOnlyList<MethodMaps> Methods, ProbeResult Signals, double ProbeSeconds);
