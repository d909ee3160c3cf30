namespace NativeCam.Kernels.Tests.Reference;

/// <summary>Plain float64 bilinear resize with OpenCV INTER_LINEAR semantics, as an explicit matrix R.</summary>
public static class ResizeReference
{
    /// <summary>The 1-D interpolation matrix [outSize × inSize]: row d has weight 1 − f at i0 and f at i1
    /// (added together when they coincide), src = max(0, (d + ½)·in/out − ½); with aligned corners
    /// src = d·(in − 1)/(out − 1) (0 for a single output).</summary>
    public static double[,] Matrix(int inSize, int outSize, bool alignCorners = false)
    {
        var m = new double[outSize, inSize];
        for (int d = 0; d < outSize; d++)
        {
            double src = alignCorners
                ? (outSize == 1 ? 0 : d * (inSize - 1.0) / (outSize - 1))
                : (d + 0.5) * inSize / outSize - 0.5;
            if (src < 0) src = 0;
            if (src > inSize - 1) src = inSize - 1;
            int i0 = (int)Math.Floor(src);
            double f = src - i0;
            int i1 = i0 + 1 < inSize ? i0 + 1 : inSize - 1;
            m[d, i0] += 1 - f;
            m[d, i1] += f;
        }
        return m;
    }

    /// <summary>y[p] = Ry · x[p] · Rxᵀ.</summary>
    public static double[] Resize(ResizeParams p, double[] x)
    {
        var ry = Matrix(p.InH, p.OutH, p.AlignCorners);
        var rx = Matrix(p.InW, p.OutW, p.AlignCorners);
        var y = new double[p.Planes * p.OutH * p.OutW];
        for (int n = 0; n < p.Planes; n++)
            for (int i = 0; i < p.OutH; i++)
                for (int j = 0; j < p.OutW; j++)
                {
                    double s = 0;
                    for (int a = 0; a < p.InH; a++)
                    {
                        if (ry[i, a] == 0) continue;
                        for (int b = 0; b < p.InW; b++) s += ry[i, a] * rx[j, b] * x[(n * p.InH + a) * p.InW + b];
                    }
                    y[(n * p.OutH + i) * p.OutW + j] = s;
                }
        return y;
    }

    /// <summary>dx[p] = Ryᵀ · dy[p] · Rx.</summary>
    public static double[] Backward(ResizeParams p, double[] dy)
    {
        var ry = Matrix(p.InH, p.OutH, p.AlignCorners);
        var rx = Matrix(p.InW, p.OutW, p.AlignCorners);
        var dx = new double[p.Planes * p.InH * p.InW];
        for (int n = 0; n < p.Planes; n++)
            for (int i = 0; i < p.OutH; i++)
                for (int j = 0; j < p.OutW; j++)
                {
                    double g = dy[(n * p.OutH + i) * p.OutW + j];
                    for (int a = 0; a < p.InH; a++)
                    {
                        if (ry[i, a] == 0) continue;
                        for (int b = 0; b < p.InW; b++) dx[(n * p.InH + a) * p.InW + b] += ry[i, a] * rx[j, b] * g;
                    }
                }
        return dx;
    }
}
