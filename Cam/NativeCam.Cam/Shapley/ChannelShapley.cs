using NativeCam.Cam.Probe;
using NativeCam.Engine;

namespace NativeCam.Cam.Shapley;

/// <summary>
/// "How good is the Taylor approximation?": samples the real Shapley values of the channel game
/// v(S) = u(head(A ⊙ 1_S)) of one image and sets them next to the per-channel values of ShapleyCAM (the
/// second-order expansion) and GradCAM (first order) for the same utility and class.
/// </summary>
public static class ChannelShapley
{
    /// <summary>The default k of the top-k overlaps.</summary>
    public const int DefaultTopK = 10;

    /// <summary>Probes one image (g and H·A at <paramref name="layer"/>) and samples its channel game.</summary>
    /// <param name="probe">A probe of the model (reuse it across images: the batched head is imported once).</param>
    /// <param name="input">[1, 3, H, W].</param>
    /// <param name="layer">The target tensor.</param>
    /// <param name="utility">u.</param>
    /// <param name="class">The class explained; null: the model's top-1.</param>
    /// <param name="options">Samples, seed, batch size.</param>
    /// <param name="layout">The target's layout.</param>
    /// <param name="progress">(coalitions evaluated, coalitions in all) after each batch.</param>
    /// <param name="cancellation">Checked between batches.</param>
    public static ChannelShapleyResult Run(LayerProbe probe, Tensor input, string layer, Utility utility, int? @class,
        ShapleyOptions options, LayerLayout layout = LayerLayout.Auto, Action<long, long>? progress = null,
        CancellationToken cancellation = default)
    {
        if (input.Rank != 4 || input.Shape[0] != 1) throw new ArgumentException($"one image [1, 3, H, W] at a time; got [{string.Join(", ", input.Shape)}]");
        options.Validate();
        var result = probe.Run(input, [layer], utility, @class is int c ? [c] : null, withHvp: true, layout: layout);
        return Compare(probe, result, 0, utility, options, progress, cancellation);
    }

    /// <summary>Samples the channel game of image <paramref name="image"/> of a probe result and compares.</summary>
    public static ChannelShapleyResult Compare(LayerProbe probe, ProbeResult result, int image, Utility utility,
        ShapleyOptions options, Action<long, long>? progress = null, CancellationToken cancellation = default)
    {
        var signals = result.Layers[0];
        int cls = result.Classes[image];
        var game = new ChannelGame(probe, signals, image, utility, cls, options.BatchSize);
        var estimate = PermutationSampler.Estimate(game.AsGame(), game.Channels, options, progress, cancellation);
        return new ChannelShapleyResult(signals.Layer, utility, cls, estimate,
            ChannelContributions.ShapleyCam(signals, image), ChannelContributions.GradCam(signals, image), DefaultTopK);
    }
}
