using NativeCam.Cam.Probe;
using NativeCam.Engine;

namespace NativeCam.Cam.Methods;

/// <summary>
/// AblationCAM: for each channel k, A with channel k replaced by 0 (or by min(A) − 1e7 when min(A) ≠ 0, min over
/// the image's whole activation) goes through the head alone; with y = u(logits) and y_k the ablated utility,
/// w_k = (y − y_k)/y; map = Σ_k w_k·A_k. The ablated activations run in batches of
/// <see cref="CamContext.BatchSize"/> (the last batch is padded, so one imported batch size serves).
/// </summary>
public sealed class AblationCam : CamMethod
{
    /// <summary>How far below the minimum an ablated channel goes when the minimum is not 0.</summary>
    public const double AblationOffset = 1e7;

    /// <inheritdoc/>
    public override string Name => "ablationcam";

    /// <inheritdoc/>
    public override bool NeedsGradients => false;

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals s, CamContext context)
    {
        var a = A(s);
        var y = Utilities.PerImage(context.Utility, context.Result.Logits, context.Result.Classes);
        var weights = new double[a.N * a.C];
        for (int n = 0; n < a.N; n++)
        {
            var yk = AblatedUtilities(s, a, n, context);
            // a utility of exactly 0 (possible with the logit) leaves the drops unscaled instead of infinite
            double scale = y[n] != 0 && double.IsFinite(y[n]) ? y[n] : 1;
            for (int k = 0; k < a.C; k++) weights[n * a.C + k] = (y[n] - yk[k]) / scale;
        }
        return a.ScaleChannels(weights);
    }

    /// <summary>The value an ablated channel of image n takes.</summary>
    public static double AblationValue(CamField a, int n)
    {
        double min = double.PositiveInfinity;
        for (int k = 0; k < a.C; k++)
            foreach (double v in a.PlaneOf(n, k)) min = Math.Min(min, v);
        return min == 0 ? 0 : min - AblationOffset;
    }

    /// <summary>y_k for every channel of image <paramref name="n"/>.</summary>
    public static double[] AblatedUtilities(LayerSignals s, CamField a, int n, CamContext context)
    {
        double value = AblationValue(a, n);
        int batch = Math.Max(1, Math.Min(context.BatchSize, a.C)), size = a.C * a.Plane;
        var image = a.Data.AsSpan(a.Offset(n, 0), size);
        var data = new double[batch * size];
        var result = new double[a.C];
        var dtype = s.Activations.DType;
        for (int start = 0; start < a.C; start += batch)
        {
            int count = Math.Min(batch, a.C - start);
            for (int b = 0; b < batch; b++)
            {
                var copy = data.AsSpan(b * size, size);
                image.CopyTo(copy);
                copy.Slice((start + Math.Min(b, count - 1)) * a.Plane, a.Plane).Fill(value);
            }
            var batchTensor = Tensor.FromDoubles(data, [batch, a.C, a.H, a.W], dtype, s.Activations.Backend);
            var logits = context.Probe.EvaluateHead(s, n, batchTensor);
            var u = Utilities.PerImage(context.Utility, logits, [context.Result.Classes[n]]);
            Array.Copy(u, 0, result, start, count);
        }
        return result;
    }
}
