using NativeCam.Cam.Probe;
using NativeCam.Cam.Smoothing;
using NativeCam.Engine;

namespace NativeCam.Cam.Methods;

/// <summary>
/// A CAM method: a weighting of the target layer's signals into a map per image, before post-processing
/// (shapleycam.md §3). A method gives per-element contributions X [N, C, h, w] (for channel weights X = w_k·A_k);
/// the map is Σ_k X_k, or with eigen-smooth the projection of X on its first principal component. Fields are
/// tensors of the model's backend (<see cref="CamField"/>): a method written with the field's operators never
/// leaves the device; its host members remain for algorithms that need the values (they download once).
/// </summary>
public abstract class CamMethod
{
    /// <summary>The CLI name, e.g. "shapleycam".</summary>
    public abstract string Name { get; }

    /// <summary>True when the method reads g.</summary>
    public virtual bool NeedsGradients => true;

    /// <summary>True when the method reads H·A.</summary>
    public virtual bool NeedsHvp => false;

    /// <summary>
    /// True when the map comes from the probe's signals alone (a few passes over the field, nothing that runs the model
    /// or its head again): the explainer then runs the method in a <see cref="TensorScope"/>, so its intermediates'
    /// memory is reused by the next explanation. False by default: a scope holds every tensor made inside until it
    /// ends, too much for a method that runs the model hundreds of times.
    /// </summary>
    public virtual bool FromSignalsAlone => false;

    /// <summary>The map before ReLU, [N, h, w].</summary>
    public virtual Tensor Compute(LayerSignals signals, CamContext context)
    {
        var x = Contributions(signals, context);
        return context.EigenSmooth ? EigenProjection.Project(x) : x.SumChannels();
    }

    /// <summary>
    /// The final maps [N][H·W] in [0, 1] from the per-layer maps [N, h, w] of several target layers (default: the
    /// reference post-processing, which averages the layers; RefineCAM multiplies them).
    /// </summary>
    public virtual float[][] Combine(IReadOnlyList<Tensor> layerMaps, int height, int width) =>
        PostProcessing.CamPostProcessor.Finalize(layerMaps, height, width);

    /// <summary>The per-element contributions X [N, C, h, w] whose channel sum is the map.</summary>
    public abstract CamField Contributions(LayerSignals signals, CamContext context);

    /// <summary>A as a field (a float64 tensor on the model's backend).</summary>
    protected static CamField A(LayerSignals s) => CamField.Of(s.Activations);

    /// <summary>g as a field.</summary>
    protected static CamField G(LayerSignals s) => CamField.Of(s.Gradients);

    /// <summary>g − ½·H·A as a field (the per-element Shapley weight).</summary>
    protected static CamField ShapleyWeights(LayerSignals s)
    {
        var ha = s.HessianTimesActivations ?? throw new InvalidOperationException("this method needs H·A; probe with withHvp");
        return G(s) - 0.5 * CamField.Of(ha);
    }
}

/// <summary>What methods beyond the signals may need: the probe (to re-run the head or the model) and a seed.</summary>
/// <param name="Probe">The probe that produced the signals.</param>
/// <param name="Input">The model input [N, 3, H, W].</param>
/// <param name="Result">The probe's result (logits, classes).</param>
/// <param name="Utility">The utility in use.</param>
/// <param name="Seed">Seed for random methods.</param>
/// <param name="BatchSize">Batch size for methods that run many forward passes (ScoreCAM, AblationCAM).</param>
/// <param name="EigenSmooth">Replace Σ_k by the first-principal-component projection of the contributions.</param>
/// <param name="Parameters">Settings of the methods that take any (null: defaults).</param>
/// <param name="ImageIndex">The index in the run of the batch's first image (random methods seed each image by it).</param>
/// <param name="Call">Which call on these images this is (0 the explanation, 1 the coherency re-run, …).</param>
/// <param name="ImageIndices">Per image of the batch, its index in the run (null: <paramref name="ImageIndex"/> + n).</param>
public sealed record CamContext(LayerProbe Probe, Tensor Input, ProbeResult Result, Utility Utility, int Seed = 0, int BatchSize = 32,
    bool EigenSmooth = false, MethodParameters? Parameters = null, long ImageIndex = 0, int Call = 0, IReadOnlyList<long>? ImageIndices = null)
{
    /// <summary>The index in the run of image <paramref name="n"/> of the batch.</summary>
    public long IndexOf(int n) => ImageIndices is { } i ? i[n] : ImageIndex + n;

    /// <summary>The method settings in force.</summary>
    public MethodParameters Settings => Parameters ?? new MethodParameters();
}
