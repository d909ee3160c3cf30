using NativeCam.Cam.Probe;
using NativeCam.Engine;

namespace NativeCam.Cam.Methods;

/// <summary>
/// A CAM method: a weighting of the target layer's signals into a map per image, before post-processing
/// (shapleycam.md §3). Most methods are channel weights w_k giving Σ_k w_k·A_k.
/// </summary>
public abstract class CamMethod
{
    /// <summary>The CLI name, e.g. "shapleycam".</summary>
    public abstract string Name { get; }

    /// <summary>True when the method reads g.</summary>
    public virtual bool NeedsGradients => true;

    /// <summary>True when the method reads H·A.</summary>
    public virtual bool NeedsHvp => false;

    /// <summary>The map before ReLU, [N, h, w].</summary>
    public abstract Tensor Compute(LayerSignals signals, CamContext context);

    /// <summary>Σ_k w_k·A_k for channel weights <paramref name="weights"/> [N, C].</summary>
    protected static Tensor WeightedSum(Tensor weights, Tensor a) =>
        (a * weights.Reshape(weights.Shape[0], weights.Shape[1], 1, 1)).Sum([1]);
}

/// <summary>What methods beyond the signals may need: the probe (to re-run the head or the model) and a seed.</summary>
/// <param name="Probe">The probe that produced the signals.</param>
/// <param name="Input">The model input [N, 3, H, W].</param>
/// <param name="Result">The probe's result (logits, classes).</param>
/// <param name="Utility">The utility in use.</param>
/// <param name="Seed">Seed for random methods.</param>
/// <param name="BatchSize">Batch size for methods that run many forward passes (ScoreCAM, AblationCAM).</param>
public sealed record CamContext(LayerProbe Probe, Tensor Input, ProbeResult Result, Utility Utility, int Seed = 0, int BatchSize = 32);
