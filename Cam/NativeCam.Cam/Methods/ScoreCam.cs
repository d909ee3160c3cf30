using NativeCam.Cam.Probe;
using NativeCam.Engine;

namespace NativeCam.Cam.Methods;

/// <summary>
/// ScoreCAM, as the reference library computes it: each channel A_k is upsampled to the input size (bilinear with
/// aligned corners), then min-max normalised (÷ (max − min + 1e-8)) into a mask; s_k = u(model(x ⊙ mask_k)) for
/// the explained class; w = softmax_k(s); map = Σ_k w_k·A_k. The masked inputs run through the full model in
/// batches of <see cref="CamContext.BatchSize"/> (the last batch is padded, so one imported batch size serves).
/// </summary>
public sealed class ScoreCam : CamMethod
{
    /// <inheritdoc/>
    public override string Name => "scorecam";

    /// <inheritdoc/>
    public override bool NeedsGradients => false;

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals s, CamContext context)
    {
        var a = A(s);
        var weights = new double[a.N * a.C];
        for (int n = 0; n < a.N; n++)
        {
            var scores = Scores(a, n, context);
            Softmax(scores).CopyTo(weights, n * a.C);
        }
        return a.ScaleChannels(weights);
    }

    /// <summary>s_k for every channel of image <paramref name="n"/>.</summary>
    public static double[] Scores(CamField a, int n, CamContext context)
    {
        var input = context.Input;
        int ch = input.Shape[1], hh = input.Shape[2], ww = input.Shape[3], px = hh * ww;
        var x = input.Slice([n], [n + 1], [0]).ToArray();
        int batch = Math.Max(1, Math.Min(context.BatchSize, a.C));
        var scores = new double[a.C];
        var data = new double[batch * ch * px];
        for (int start = 0; start < a.C; start += batch)
        {
            int count = Math.Min(batch, a.C - start);
            for (int b = 0; b < batch; b++)
            {
                var mask = Mask(a, n, start + Math.Min(b, count - 1), hh, ww);
                for (int c = 0; c < ch; c++)
                    for (int q = 0; q < px; q++) data[(b * ch + c) * px + q] = x[c * px + q] * mask[q];
            }
            var logits = context.Probe.EvaluateModel(Tensor.FromDoubles(data, [batch, ch, hh, ww], input.DType, input.Backend));
            var u = Utilities.PerImage(context.Utility, logits, [context.Result.Classes[n]]);
            Array.Copy(u, 0, scores, start, count);
        }
        return scores;
    }

    /// <summary>The mask of channel k of image n at the input size.</summary>
    public static double[] Mask(CamField a, int n, int k, int height, int width)
    {
        var up = AlignCornersResize.Resize(a.PlaneOf(n, k), a.H, a.W, height, width);
        double min = up.Min(), max = up.Max();
        for (int q = 0; q < up.Length; q++) up[q] = (up[q] - min) / (max - min + 1e-8);
        return up;
    }

    private static double[] Softmax(double[] s)
    {
        double max = s.Max();
        var e = s.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }
}
