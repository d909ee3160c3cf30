using NativeCam.Cam.Probe;
using NativeCam.Engine;

namespace NativeCam.Cam.Methods;

/// <summary>
/// FinerCAM (Zhang et al., CVPR 2025), pytorch-grad-cam's FinerWeightedTarget: the base method (default gradcam)
/// on the target u = Σ_j p_j·(o_c − α·o_j) / (Σ_j p_j + 1e-9) instead of the utility, where c is the explained
/// class, j runs over the K classes whose logits are closest to o_c (|o_j − o_c| smallest, j ≠ c) and p = softmax(o)
/// (differentiated too). α = 0 gives the base method on the logit o_c (up to the 1e-9).
/// </summary>
public sealed class FinerCam : CamMethod
{
    /// <inheritdoc/>
    public override string Name => "finercam";

    /// <inheritdoc/>
    public override Tensor Compute(LayerSignals signals, CamContext context)
    {
        var (basis, s) = Prepare(signals, context);
        return basis.Compute(s, context);
    }

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals signals, CamContext context)
    {
        var (basis, s) = Prepare(signals, context);
        return basis.Contributions(s, context);
    }

    private static (CamMethod Base, LayerSignals Signals) Prepare(LayerSignals signals, CamContext context)
    {
        var p = context.Settings.CamFamily;
        var basis = BaseMethods.Create("finercam", p.BaseMethod, "gradcam");
        var logits = context.Result.Logits;
        var compared = Compared(logits.ToArray(), logits.Shape[0], logits.Shape[1], context.Result.Classes, p.Compare);
        var s = TargetedProbe.Reprobe(context.Probe, context.Result, signals,
            o => Target(o, context.Result.Classes, compared, p.Alpha), basis.NeedsHvp);
        return (basis, s);
    }

    /// <summary>Per image, the <paramref name="k"/> classes j ≠ c with the smallest |o_j − o_c| (ties: lower index first).</summary>
    public static int[][] Compared(double[] logits, int n, int classes, int[] target, int k)
    {
        if (k < 1 || k > classes - 1) throw new ArgumentException($"--compare {k} must be between 1 and the number of classes − 1 ({classes - 1})");
        var r = new int[n][];
        for (int i = 0; i < n; i++)
        {
            int c = target[i];
            double oc = logits[i * classes + c];
            r[i] = Enumerable.Range(0, classes).Where(j => j != c)
                .OrderBy(j => Math.Abs(logits[i * classes + j] - oc)).ThenBy(j => j).Take(k).ToArray();
        }
        return r;
    }

    /// <summary>Σ_n Σ_j p_nj·(o_nc − α·o_nj) / (Σ_j p_nj + 1e-9), a one-element tensor, differentiable in the logits [N, K].</summary>
    public static Tensor Target(Tensor logits, int[] classes, int[][] compared, double alpha)
    {
        int n = logits.Shape[0], k = logits.Shape[1];
        var pick = new double[n * k];
        var comp = new double[n * k];
        for (int i = 0; i < n; i++)
        {
            pick[i * k + classes[i]] = 1;
            foreach (int j in compared[i]) comp[i * k + j] = 1;
        }
        var c = Tensor.FromDoubles(pick, [n, k], logits.DType, logits.Backend);
        var m = Tensor.FromDoubles(comp, [n, k], logits.DType, logits.Backend);
        var w = logits.Softmax(1) * m;                 // p_j on the compared classes, 0 elsewhere
        var sum = w.Sum([1]);                          // Σ_j p_j
        var oc = (logits * c).Sum([1]);                // o_c
        var numerator = oc * sum - (w * logits).Sum([1]) * alpha;
        return (numerator / (sum + 1e-9)).Sum();
    }
}
