using NativeCam.Cam.PostProcessing;
using NativeCam.Cam.Probe;
using NativeCam.Engine;

namespace NativeCam.Cam.Methods;

/// <summary>
/// Guided Grad-CAM (Selvaraju et al. 2017): the layer's GradCAM map, post-processed (ReLU, min-max, resized to the
/// input), times the guided-backpropagation map (<see cref="GuidedBackpropCam"/>), at the input's resolution.
/// </summary>
public sealed class GuidedGradCam : CamMethod
{
    private (CamContext Context, Tensor Map)? _guided;

    /// <inheritdoc/>
    public override string Name => "guided-gradcam";

    /// <inheritdoc/>
    public override Tensor Compute(LayerSignals signals, CamContext context)
    {
        if (_guided is not { } gb || !ReferenceEquals(gb.Context, context))
            _guided = gb = (context, GuidedBackpropCam.MaxAbsOverChannels(GuidedBackpropCam.Gradient(context)));
        var cam = new GradCam().Compute(signals, context);
        return Product(cam, gb.Map);
    }

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals s, CamContext context) => new GradCam().Contributions(s, context);

    /// <summary>ScaleLayer(cam) ⊙ guided, [N, H, W], for a layer map cam [N, h, w] and the guided map [N, H, W].</summary>
    public static Tensor Product(Tensor cam, Tensor guided)
    {
        int n = cam.Shape[0], h = cam.Shape[1], w = cam.Shape[2], height = guided.Shape[1], width = guided.Shape[2];
        var c = cam.ToArray();
        var g = guided.ToArray();
        var r = new double[g.Length];
        for (int i = 0; i < n; i++)
        {
            var up = CamPostProcessor.ScaleLayer(c.AsSpan(i * h * w, h * w), h, w, height, width);
            for (int q = 0; q < up.Length; q++) r[i * up.Length + q] = up[q] * g[i * up.Length + q];
        }
        return Tensor.FromArray(r, guided.Shape);
    }
}
