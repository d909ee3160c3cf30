using NativeCam.Cam.Methods;

namespace NativeCam.Cam.Attribution;

/// <summary>
/// SmoothGrad (Smilkov et al., 2017): the mean of ∂u/∂x over <see cref="AttributionParameters.Samples"/> noisy copies
/// x + ε, ε ~ N(0, σ²) per element with σ = <see cref="AttributionParameters.Noise"/> · (max x − min x) of the image.
/// The noise of sample s of an image comes from <see cref="Random"/> seeded by
/// <see cref="AttributionSeeds.For"/>(seed, image, "smoothgrad") + s (Box–Muller), so it does not depend on
/// batching. The class explained is the clean image's. Plane: Σ_c |mean gradient_c|.
/// </summary>
public sealed class SmoothGrad : InputAttribution
{
    /// <inheritdoc/>
    public override string Name => "smoothgrad";

    /// <inheritdoc/>
    public override ChannelReduction Reduction => ChannelReduction.SumOfAbsolute;

    /// <inheritdoc/>
    public override double[] Attribute(CamContext context)
    {
        var p = context.Settings.Attribution;
        p.Validate();
        int n = context.Input.Shape[0], samples = p.Samples;
        var images = Enumerable.Range(0, n).Select(i => ImageOf(context, i)).ToArray();
        int size = images[0].Length;
        var seeds = images.Select(x => AttributionSeeds.For(context.Seed, x, Name)).ToArray();
        var sigma = images.Select(x => p.Noise * (x.Max() - x.Min())).ToArray();
        var sum = new double[n * size];
        ModelRows.Gradients(context, n * samples,
            (r, row) => Noisy(images[r / samples], sigma[r / samples], seeds[r / samples], r % samples, row),
            r => context.Result.Classes[r / samples],
            (r, g) =>
            {
                var acc = sum.AsSpan(r / samples * size, size);
                for (int i = 0; i < size; i++) acc[i] += g[i];
            });
        for (int i = 0; i < sum.Length; i++) sum[i] /= samples;
        return sum;
    }

    /// <summary>x + ε of sample <paramref name="sample"/> of an image with seed <paramref name="seed"/>.</summary>
    public static void Noisy(double[] x, double sigma, int seed, int sample, Span<double> row)
    {
        var rng = new Random(unchecked(seed + sample));
        for (int i = 0; i < x.Length; i++) row[i] = x[i] + sigma * Gaussian(rng);
    }

    /// <summary>A standard normal draw (Box–Muller, cosine branch).</summary>
    public static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
