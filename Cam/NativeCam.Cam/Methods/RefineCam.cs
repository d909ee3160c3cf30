using NativeCam.Cam.PostProcessing;
using NativeCam.Cam.Probe;
using NativeCam.Engine;

namespace NativeCam.Cam.Methods;

/// <summary>
/// RefineCAM, pytorch-grad-cam's meta-method for a list of target layers: each layer's map by the base method
/// (default gradcam++), post-processed alone (ReLU, min-max, resize), then the product over the layers, min-max
/// scaled (v − min, / (1e-7 + max)). With one layer it is the base method's map.
/// </summary>
public sealed class RefineCam : CamMethod
{
    /// <inheritdoc/>
    public override string Name => "refinecam";

    /// <inheritdoc/>
    public override Tensor Compute(LayerSignals signals, CamContext context)
    {
        var (basis, s) = Prepare(signals, context);
        return basis.Compute(s, context);
    }

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals signals, CamContext context)
    {
        var (basis, s) = Prepare(signals, context);
        return basis.Contributions(s, context);
    }

    /// <inheritdoc/>
    public override float[][] Combine(IReadOnlyList<Tensor> layerMaps, int height, int width) => Product(layerMaps, height, width);

    /// <summary>min-max(Π_layers Finalize([map])) per image.</summary>
    public static float[][] Product(IReadOnlyList<Tensor> layerMaps, int height, int width)
    {
        if (layerMaps.Count == 0) throw new ArgumentException("no maps");
        float[][]? product = null;
        foreach (var m in layerMaps)
        {
            var one = CamPostProcessor.Finalize([m], height, width);
            if (product is null) { product = one; continue; }
            for (int i = 0; i < one.Length; i++)
                for (int j = 0; j < one[i].Length; j++) product[i][j] *= one[i][j];
        }
        return product!.Select(p =>
        {
            var d = Array.ConvertAll(p, v => (double)v);
            CamPostProcessor.MinMax(d);
            return Array.ConvertAll(d, v => (float)v);
        }).ToArray();
    }

    /// <summary>The base method, with H·A probed for it when it needs it and the probe did not compute it.</summary>
    private static (CamMethod Base, LayerSignals Signals) Prepare(LayerSignals signals, CamContext context)
    {
        var basis = BaseMethods.Create("refinecam", context.Settings.CamFamily.BaseMethod, "gradcam++");
        if (!basis.NeedsHvp || signals.HessianTimesActivations is not null) return (basis, signals);
        var classes = context.Result.Classes;
        return (basis, TargetedProbe.Reprobe(context.Probe, context.Result, signals, o => Utilities.Evaluate(context.Utility, o, classes), true));
    }
}
