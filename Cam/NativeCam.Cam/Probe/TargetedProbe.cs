using NativeCam.Engine;
using NativeCam.Engine.Autodiff;

namespace NativeCam.Cam.Probe;

/// <summary>
/// The signals of a probed layer for another scalar target: the head after the layer runs again from the same A
/// and side inputs, differentiated (g, and H·A when asked) with respect to A for target(logits), a function of
/// the logits [N, K] summed over the images.
/// </summary>
public static class TargetedProbe
{
    /// <summary>The layer's signals with g (and H·A) of <paramref name="target"/> in place of the probe's utility.</summary>
    /// <param name="probe">The probe that produced <paramref name="signals"/>.</param>
    /// <param name="result">Its result (the layers kept materialised).</param>
    /// <param name="signals">One layer's signals from <paramref name="result"/>.</param>
    /// <param name="target">Logits [N, K] → a one-element tensor.</param>
    /// <param name="withHvp">Also compute H·A.</param>
    public static LayerSignals Reprobe(LayerProbe probe, ProbeResult result, LayerSignals signals, Func<Tensor, Tensor> target, bool withHvp)
    {
        var a = signals.NativeActivations ?? signals.Activations;
        var model = probe.ForBatch(a.Shape[0]).WithKept(result.Layers.Select(l => l.Layer));
        var given = new Dictionary<string, Tensor>(signals.SideInputs, StringComparer.Ordinal);
        Tensor U(Tensor z)
        {
            given[signals.Layer] = z;
            return target(LayerProbe.Logits(model.Executor.Evaluate(given, [model.OutputName])[model.OutputName]));
        }
        Tensor g;
        Tensor? hv = null;
        if (withHvp) (g, hv) = Ad.GradAndHvp(U, a, a);
        else g = Ad.Grad(U, a);
        return signals with
        {
            Gradients = Layouts.ToNchw(g, signals.Layout, signals.Layer),
            HessianTimesActivations = hv is null ? null : Layouts.ToNchw(hv, signals.Layout, signals.Layer),
        };
    }
}
