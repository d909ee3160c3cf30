namespace NativeCam.Kernels.Tests.Reference;

/// <summary>Plain float64 pooling over [N, C, H, W], written straight from the definitions.</summary>
public static class PoolingReference
{
    /// <summary>Output size: floor or ceil of (in + pads − effective kernel) / stride + 1; in ceil mode a window
    /// that would start in the right padding is dropped.</summary>
    public static int OutSize(int input, int k, int s, int d, int p0, int p1, bool ceil)
    {
        double span = input + p0 + p1 - (d * (k - 1) + 1);
        int o = (int)(ceil ? Math.Ceiling(span / s) : Math.Floor(span / s)) + 1;
        if (ceil && (o - 1) * s >= input + p0) o--;
        return o;
    }

    private static (int OH, int OW) Out(Pool2dParams p) =>
        (OutSize(p.H, p.KH, p.StrideH, p.DilationH, p.PadTop, p.PadBottom, p.CeilMode),
         OutSize(p.W, p.KW, p.StrideW, p.DilationW, p.PadLeft, p.PadRight, p.CeilMode));

    /// <summary>Max pooling and the flat index of each window's first (row-major) maximum; NaN wins (first NaN).</summary>
    public static (double[] Y, int[] Index) MaxPool(Pool2dParams p, double[] x)
    {
        var (oh, ow) = Out(p);
        var y = new double[p.N * p.C * oh * ow];
        var idx = new int[y.Length];
        int o = 0;
        for (int n = 0; n < p.N * p.C; n++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++, o++)
                {
                    double best = double.NegativeInfinity;
                    int bi = -1;
                    for (int a = 0; a < p.KH; a++)
                        for (int b = 0; b < p.KW; b++)
                        {
                            int r = i * p.StrideH - p.PadTop + a * p.DilationH, c = j * p.StrideW - p.PadLeft + b * p.DilationW;
                            if (r < 0 || r >= p.H || c < 0 || c >= p.W) continue;
                            int at = (n * p.H + r) * p.W + c;
                            double v = x[at];
                            bool take = bi < 0 || (double.IsNaN(v) && !double.IsNaN(best)) || (!double.IsNaN(best) && v > best);
                            if (take) { best = v; bi = at; }
                        }
                    y[o] = best;
                    idx[o] = bi;
                }
        return (y, idx);
    }

    /// <summary>The window's divisor: taps inside the padded extent (count_include_pad) or inside the input.</summary>
    private static int Count(Pool2dParams p, int i, int j)
    {
        int count = 0;
        for (int a = 0; a < p.KH; a++)
            for (int b = 0; b < p.KW; b++)
            {
                int r = i * p.StrideH - p.PadTop + a * p.DilationH, c = j * p.StrideW - p.PadLeft + b * p.DilationW;
                bool inside = p.CountIncludePad
                    ? r >= -p.PadTop && r < p.H + p.PadBottom && c >= -p.PadLeft && c < p.W + p.PadRight
                    : r >= 0 && r < p.H && c >= 0 && c < p.W;
                if (inside) count++;
            }
        return count;
    }

    /// <summary>Average pooling; an empty window gives 0.</summary>
    public static double[] AvgPool(Pool2dParams p, double[] x)
    {
        var (oh, ow) = Out(p);
        var y = new double[p.N * p.C * oh * ow];
        int o = 0;
        for (int n = 0; n < p.N * p.C; n++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++, o++)
                {
                    double sum = 0;
                    for (int a = 0; a < p.KH; a++)
                        for (int b = 0; b < p.KW; b++)
                        {
                            int r = i * p.StrideH - p.PadTop + a * p.DilationH, c = j * p.StrideW - p.PadLeft + b * p.DilationW;
                            if (r >= 0 && r < p.H && c >= 0 && c < p.W) sum += x[(n * p.H + r) * p.W + c];
                        }
                    int count = Count(p, i, j);
                    y[o] = count == 0 ? 0 : sum / count;
                }
        return y;
    }

    /// <summary>The adjoint of <see cref="AvgPool"/>: each dy spreads dy / count over its window's input taps.</summary>
    public static double[] AvgPoolBackward(Pool2dParams p, double[] dy)
    {
        var (oh, ow) = Out(p);
        var dx = new double[p.N * p.C * p.H * p.W];
        int o = 0;
        for (int n = 0; n < p.N * p.C; n++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++, o++)
                {
                    int count = Count(p, i, j);
                    if (count == 0) continue;
                    for (int a = 0; a < p.KH; a++)
                        for (int b = 0; b < p.KW; b++)
                        {
                            int r = i * p.StrideH - p.PadTop + a * p.DilationH, c = j * p.StrideW - p.PadLeft + b * p.DilationW;
                            if (r >= 0 && r < p.H && c >= 0 && c < p.W) dx[(n * p.H + r) * p.W + c] += dy[o] / count;
                        }
                }
        return dx;
    }
}
