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
    public override bool FromSignalsAlone => true;

    /// <inheritdoc/>
    public override bool NeedsHvp => true;

    /// <inheritdoc/>
    // the mean is linear: mean(g) − ½·mean(H·A) takes two channel reductions instead of two passes over the field
    public override CamField Contributions(LayerSignals s, CamContext context)
    {
        var ha = s.HessianTimesActivations ?? throw new InvalidOperationException("shapleycam needs H·A; probe with withHvp");
        return A(s).ScaleChannels(G(s).ChannelMeans() - 0.5 * CamField.Of(ha).ChannelMeans());
    }
}
