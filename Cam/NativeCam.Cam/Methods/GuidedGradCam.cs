using NativeCam.Cam.PostProcessing;
using NativeCam.Cam.Probe;
using NativeCam.Engine;

namespace NativeCam.Cam.Methods;

/// <summary>
/// Guided Grad-CAM (Selvaraju et al. 2017): the layer's GradCAM map, post-processed as a final map (as
/// pytorch-grad-cam's example multiplies its finished CAM), times the guided-backpropagation map (<see cref="GuidedBackpropCam"/>), at the input's resolution.
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

    /// <summary>The post-processed cam (as a map of its own: ReLU, min-max, resize, min-max) ⊙ guided, [N, H, W],
    /// for a layer map cam [N, h, w] and the guided map [N, H, W].</summary>
    public static Tensor Product(Tensor cam, Tensor guided)
    {
        int height = guided.Shape[1], width = guided.Shape[2], plane = height * width;
        var maps = CamPostProcessor.Finalize([cam], height, width);
        var g = guided.ToArray();
        var r = new double[g.Length];
        for (int i = 0; i < maps.Length; i++)
            for (int q = 0; q < plane; q++) r[i * plane + q] = maps[i][q] * g[i * plane + q];
        return Tensor.FromArray(r, guided.Shape);
    }
}
