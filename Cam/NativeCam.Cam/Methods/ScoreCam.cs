using NativeCam.Cam.Probe;
using NativeCam.Engine;

namespace NativeCam.Cam.Methods;

/// <summary>
/// ScoreCAM, as the reference library computes it: each channel A_k is upsampled to the input size (bilinear with
/// aligned corners), then min-max normalised (÷ (max − min + 1e-8)) into a mask; s_k = u(model(x ⊙ mask_k)) for
/// the explained class; w = softmax_k(s); map = Σ_k w_k·A_k. Masks, masked inputs and weights are tensors of the
/// model's backend; the masked inputs run through the full model in batches of <see cref="CamContext.BatchSize"/>
/// (the last batch is padded, so one imported batch size serves) and only their logits come back.
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
        var scores = new double[a.N * a.C];
        for (int n = 0; n < a.N; n++) Scores(a, n, context).CopyTo(scores, n * a.C);
        var w = Tensor.FromArray(scores, [a.N, a.C], a.Backend).Softmax(1);
        return a.ScaleChannels(w);
    }

    /// <summary>s_k for every channel of image <paramref name="n"/>.</summary>
    public static double[] Scores(CamField a, int n, CamContext context)
    {
        var input = context.Input;
        int ch = input.Shape[1], hh = input.Shape[2], ww = input.Shape[3];
        var x = input.Slice([n], [n + 1], [0]).ToDType(NativeCam.Kernels.DType.Float64);
        var masks = Masks(a, n, hh, ww); // [C, 1, H, W]
        int batch = Math.Max(1, Math.Min(context.BatchSize, a.C));
        var scores = new double[a.C];
        for (int start = 0; start < a.C; start += batch)
        {
            int count = Math.Min(batch, a.C - start);
            var chunk = masks.Slice([start], [start + count], [0]);
            if (count < batch) // pad with copies of the last mask
                chunk = Tensor.Concat([chunk, masks.Slice([start + count - 1], [start + count], [0]).BroadcastTo([batch - count, 1, hh, ww])], 0);
            var masked = (x * chunk).ToDType(input.DType); // [batch, ch, H, W]
            var logits = context.Probe.EvaluateModel(masked);
            var u = Utilities.PerImage(context.Utility, logits, [context.Result.Classes[n]]);
            Array.Copy(u, 0, scores, start, count);
        }
        return scores;
    }

    /// <summary>The masks [C, 1, H, W] of image n: each channel upsampled with aligned corners, then min-max normalised.</summary>
    public static Tensor Masks(CamField a, int n, int height, int width)
    {
        var planes = a.Tensor.Slice([n], [n + 1], [0]).Reshape(a.C, 1, a.H, a.W);
        var up = planes.ResizeBilinearAlignCorners(height, width);
        var min = up.Min([2, 3], keepDims: true);
        var max = up.Max([2, 3], keepDims: true);
        return (up - min) / (max - min + 1e-8);
    }
}
