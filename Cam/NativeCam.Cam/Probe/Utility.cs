using NativeCam.Engine;
using NativeCam.Kernels;

namespace NativeCam.Cam.Probe;

/// <summary>The scalar differentiated per image (the "target"), a function of that image's logits.</summary>
public enum Utility
{
    /// <summary>The logit o_c (pre-softmax).</summary>
    Logit,
    /// <summary>The probability p_c = softmax(o)_c.</summary>
    Softmax,
    /// <summary>log p_c.</summary>
    LogSoftmax,
    /// <summary>ReST, the residual softmax target-class score o_c + log p_c = 2·o_c − logsumexp(o) (the paper's default).</summary>
    Rest,
}

/// <summary>Utilities as tensor functions (differentiable to second order).</summary>
public static class Utilities
{
    /// <summary>Parses a CLI name: logit, softmax, log-softmax, rest.</summary>
    public static Utility Parse(string name) => name.ToLowerInvariant() switch
    {
        "logit" => Utility.Logit,
        "softmax" => Utility.Softmax,
        "log-softmax" or "logsoftmax" => Utility.LogSoftmax,
        "rest" => Utility.Rest,
        _ => throw new ArgumentException($"unknown utility '{name}' (logit, softmax, log-softmax, rest)"),
    };

    /// <summary>The CLI name.</summary>
    public static string Name(this Utility u) => u switch
    {
        Utility.Logit => "logit",
        Utility.Softmax => "softmax",
        Utility.LogSoftmax => "log-softmax",
        _ => "rest",
    };

    /// <summary>
    /// Σₙ u(oₙ) for classes cₙ: images are summed, and since they do not interact, per-image gradients and
    /// Hessian-vector products of the sum are exactly those of each image's own utility.
    /// </summary>
    /// <param name="logits">[N, K].</param>
    /// <param name="classes">cₙ for each image.</param>
    public static Tensor Evaluate(Utility utility, Tensor logits, int[] classes)
    {
        if (logits.Rank != 2) throw new ArgumentException($"utilities take logits [N, K]; got [{string.Join(", ", logits.Shape)}]");
        int n = logits.Shape[0], k = logits.Shape[1];
        if (classes.Length != n) throw new ArgumentException($"{classes.Length} classes for {n} images");
        var oneHot = new double[n * k];
        for (int i = 0; i < n; i++)
        {
            if ((uint)classes[i] >= (uint)k) throw new ArgumentOutOfRangeException(nameof(classes), classes[i], $"class index outside [0, {k})");
            oneHot[i * k + classes[i]] = 1;
        }
        var mask = Tensor.FromDoubles(oneHot, [n, k], logits.DType, logits.Backend);
        Tensor Picked(Tensor t) => (t * mask).Sum();
        return utility switch
        {
            Utility.Logit => Picked(logits),
            Utility.Softmax => Picked(logits.Softmax(1)),
            Utility.LogSoftmax => Picked(logits.LogSoftmax(1)),
            _ => Picked(logits) * 2.0 - logits.LogSumExp(1).Sum(), // per image: 2·o_c − logsumexp(o)
        };
    }
    /// <summary>u(oₙ) for each row of <paramref name="logits"/> [N, K] (plain double arithmetic, no autodiff).</summary>
    /// <param name="classes">cₙ per row; one value applies to every row.</param>
    public static double[] PerImage(Utility utility, Tensor logits, int[] classes)
    {
        if (logits.Rank != 2) throw new ArgumentException($"utilities take logits [N, K]; got [{string.Join(", ", logits.Shape)}]");
        int n = logits.Shape[0], k = logits.Shape[1];
        if (classes.Length != n && classes.Length != 1) throw new ArgumentException($"{classes.Length} classes for {n} images");
        var v = logits.ToArray();
        var u = new double[n];
        for (int i = 0; i < n; i++)
        {
            int c = classes.Length == 1 ? classes[0] : classes[i];
            if ((uint)c >= (uint)k) throw new ArgumentOutOfRangeException(nameof(classes), c, $"class index outside [0, {k})");
            var row = v.AsSpan(i * k, k);
            double max = double.NegativeInfinity;
            foreach (double x in row) max = Math.Max(max, x);
            double sum = 0;
            foreach (double x in row) sum += Math.Exp(x - max);
            double lse = max + Math.Log(sum), oc = row[c];
            u[i] = utility switch
            {
                Utility.Logit => oc,
                Utility.Softmax => Math.Exp(oc - lse),
                Utility.LogSoftmax => oc - lse,
                _ => 2 * oc - lse,
            };
        }
        return u;
    }
}
