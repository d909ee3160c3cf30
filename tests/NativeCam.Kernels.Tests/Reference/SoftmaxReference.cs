namespace NativeCam.Kernels.Tests.Reference;

/// <summary>Plain float64 softmax family over the middle axis of [Outer, Axis, Inner].</summary>
public static class SoftmaxReference
{
    /// <summary>log Σ exp over the axis, computed as m + log Σ exp(x − m); −∞ for an all −∞ (or empty) column.</summary>
    public static double[] LogSumExp(AxisParams p, double[] x)
    {
        var y = new double[p.Outer * p.Inner];
        for (int o = 0; o < p.Outer; o++)
            for (int i = 0; i < p.Inner; i++)
            {
                double m = double.NegativeInfinity;
                for (int a = 0; a < p.Axis; a++) m = Math.Max(m, x[(o * p.Axis + a) * p.Inner + i]);
                if (double.IsNegativeInfinity(m)) { y[o * p.Inner + i] = m; continue; }
                double sum = 0;
                for (int a = 0; a < p.Axis; a++) sum += Math.Exp(x[(o * p.Axis + a) * p.Inner + i] - m);
                y[o * p.Inner + i] = m + Math.Log(sum);
            }
        return y;
    }

    /// <summary>exp(x − lse); NaN for an all −∞ column.</summary>
    public static double[] Softmax(AxisParams p, double[] x) => Map(p, x, (v, lse) => double.IsNegativeInfinity(lse) ? double.NaN : Math.Exp(v - lse));

    /// <summary>x − lse; −∞ for an all −∞ column.</summary>
    public static double[] LogSoftmax(AxisParams p, double[] x) => Map(p, x, (v, lse) => double.IsNegativeInfinity(lse) ? lse : v - lse);

    private static double[] Map(AxisParams p, double[] x, Func<double, double, double> f)
    {
        var lse = LogSumExp(p, x);
        var y = new double[x.Length];
        for (int o = 0; o < p.Outer; o++)
            for (int a = 0; a < p.Axis; a++)
                for (int i = 0; i < p.Inner; i++)
                {
                    int at = (o * p.Axis + a) * p.Inner + i;
                    y[at] = f(x[at], lse[o * p.Inner + i]);
                }
        return y;
    }
}
