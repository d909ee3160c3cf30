using NativeCam.Cam.Probe;

namespace NativeCam.Cam.Methods;

/// <summary>
/// RandomCAM (a baseline): w_k ~ U(−1, 1), drawn channel by channel as 2·NextDouble() − 1 from a
/// <see cref="Random"/> whose seed is derived from (<see cref="CamContext.Seed"/>, the image's index in the run,
/// <see cref="CamContext.Call"/>): a fresh draw per image and per call (as the reference draws anew each time), yet
/// reproducible and independent of the batch an image is in; map = Σ_k w_k·A_k.
/// </summary>
public sealed class RandomCam : CamMethod
{
    /// <inheritdoc/>
    public override string Name => "random";

    /// <inheritdoc/>
    public override bool FromSignalsAlone => true;

    /// <inheritdoc/>
    public override bool NeedsGradients => false;

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals s, CamContext context)
    {
        var a = A(s);
        var w = new double[a.N * a.C];
        for (int n = 0; n < a.N; n++)
        {
            var rng = new Random(SeedOf(context.Seed, context.IndexOf(n), context.Call));
            for (int k = 0; k < a.C; k++) w[n * a.C + k] = 2 * rng.NextDouble() - 1;
        }
        return a.ScaleChannels(w);
    }

    /// <summary>The seed of one image's draw: SplitMix64 finalisers chained over (seed, image, call).</summary>
    public static int SeedOf(int seed, long image, int call)
    {
        ulong h = Mix((ulong)(uint)seed);
        h = Mix(h ^ (ulong)image);
        h = Mix(h ^ (uint)call);
        return (int)(h & int.MaxValue);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
