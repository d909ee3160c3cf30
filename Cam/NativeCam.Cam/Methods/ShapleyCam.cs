using NativeCam.Cam.Probe;

namespace NativeCam.Cam.Methods;

/// <summary>
/// ShapleyCAM: w_k = mean_ij (g − ½·H·A)_k; map = Σ_k w_k·A_k. The Shapley value of element (k,i,j) in the
/// second-order expansion of the content-reserved game is A·(g − ½·H·A); this is its channel-mean variant.
/// </summary>
public sealed class ShapleyCam : CamMethod
{
    /// <inheritdoc/>
    public override string Name => "shapleycam";

    /// <inheritdoc/>
    public override bool NeedsHvp => true;

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals s, CamContext context) => A(s).ScaleChannels(ShapleyWeights(s).ChannelMeans());
}
