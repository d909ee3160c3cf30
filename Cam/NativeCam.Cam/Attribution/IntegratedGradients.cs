using NativeCam.Cam.Methods;

namespace NativeCam.Cam.Attribution;

/// <summary>
/// Integrated gradients (Sundararajan et al., 2017): (x − x′) ⊙ ∫₀¹ ∂u/∂x(x′ + α(x − x′)) dα, the integral by the
/// midpoint rule with m = <see cref="AttributionParameters.Steps"/> points α_k = (k + ½)/m (one reverse sweep each,
/// batched). x′ is a black image or the input blurred (<see cref="AttributionParameters.Baseline"/>). Completeness,
/// Σ attr = u(x) − u(x′), holds in the limit; the residual Σ attr − (u(x) − u(x′)) of each image is reported in
/// <see cref="Extras"/> ("completenessResidual"; exact to rounding for a model linear in x). Plane: |Σ_c attr_c|.
/// </summary>
public sealed class IntegratedGradients : InputAttribution, IMethodExtras
{
    /// <summary>The name of the completeness residual in <see cref="Extras"/>.</summary>
    public const string Residual = "completenessResidual";

    /// <inheritdoc/>
    public override string Name => "integrated-gradients";

    /// <inheritdoc/>
    public override ChannelReduction Reduction => ChannelReduction.AbsoluteOfSum;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, double[]>? Extras { get; private set; }

    /// <inheritdoc/>
    public override double[] Attribute(CamContext context)
    {
        var p = context.Settings.Attribution;
        p.Validate();
        var shape = context.Input.Shape;
        int n = shape[0], ch = shape[1], h = shape[2], w = shape[3], m = p.Steps;
        var images = Enumerable.Range(0, n).Select(i => ImageOf(context, i)).ToArray();
        int size = images[0].Length;
        var baselines = images.Select(x => Baseline(x, ch, h, w, p)).ToArray();
        var sum = new double[n * size];
        ModelRows.Gradients(context, n * m,
            (r, row) =>
            {
                double alpha = (r % m + 0.5) / m;
                var (x, b) = (images[r / m], baselines[r / m]);
                for (int i = 0; i < size; i++) row[i] = b[i] + alpha * (x[i] - b[i]);
            },
            r => context.Result.Classes[r / m],
            (r, g) =>
            {
                var acc = sum.AsSpan(r / m * size, size);
                for (int i = 0; i < size; i++) acc[i] += g[i];
            });
        var residual = new double[n];
        for (int i = 0; i < n; i++)
        {
            double total = 0;
            for (int j = 0; j < size; j++)
            {
                ref double a = ref sum[i * size + j];
                a = (images[i][j] - baselines[i][j]) * a / m;
                total += a;
            }
            residual[i] = total;
        }
        // u(x) and u(x′) for each image, in one batch of 2N rows
        var u = ModelRows.Utilities(context, 2 * n, (r, row) => (r < n ? images[r] : baselines[r - n]).CopyTo(row),
            r => context.Result.Classes[r % n]);
        for (int i = 0; i < n; i++) residual[i] -= u[i] - u[n + i];
        Extras = new Dictionary<string, double[]> { [Residual] = residual };
        return sum;
    }

    /// <summary>The baseline x′ of an image (C·H·W values).</summary>
    public static double[] Baseline(double[] x, int channels, int height, int width, AttributionParameters p)
    {
        if (p.Baseline == IntegratedGradientsBaseline.Blur) return GaussianBlur.Apply(x, channels, height, width, p.BlurSigma);
        var b = new double[x.Length];
        int plane = height * width;
        for (int c = 0; c < channels; c++)
            Array.Fill(b, p.BlackPixel[Math.Min(c, p.BlackPixel.Count - 1)], c * plane, plane);
        return b;
    }
}
