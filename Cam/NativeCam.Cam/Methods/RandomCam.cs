using NativeCam.Cam.Probe;

namespace NativeCam.Cam.Methods;

/// <summary>
/// RandomCAM (a baseline): w_k ~ U(−1, 1), drawn as 2·NextDouble() − 1 from <see cref="Random"/> seeded with
/// <see cref="CamContext.Seed"/>, image by image and channel by channel; map = Σ_k w_k·A_k.
/// </summary>
public sealed class RandomCam : CamMethod
{
    /// <inheritdoc/>
    public override string Name => "random";

    /// <inheritdoc/>
    public override bool NeedsGradients => false;

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals s, CamContext context)
    {
        var a = A(s);
        var rng = new Random(context.Seed);
        var w = new double[a.N * a.C];
        for (int p = 0; p < w.Length; p++) w[p] = 2 * rng.NextDouble() - 1;
        return a.ScaleChannels(w);
    }
}
