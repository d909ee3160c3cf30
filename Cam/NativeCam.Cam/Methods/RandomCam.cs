using NativeCam.Cam.Probe;

namespace NativeCam.Cam.Methods;

/// <summary>
/// RandomCAM (a baseline): w_k ~ U(−1, 1), drawn channel by channel as 2·NextDouble() − 1 from
/// <see cref="Random"/> seeded with <see cref="CamContext.Seed"/>, afresh for each image (so an image's map does not
/// depend on the batch it is in); map = Σ_k w_k·A_k.
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
        var w = new double[a.N * a.C];
        for (int n = 0; n < a.N; n++)
        {
            var rng = new Random(context.Seed);
            for (int k = 0; k < a.C; k++) w[n * a.C + k] = 2 * rng.NextDouble() - 1;
        }
        return a.ScaleChannels(w);
    }
}
