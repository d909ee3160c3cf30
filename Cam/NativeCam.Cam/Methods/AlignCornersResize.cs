namespace NativeCam.Cam.Methods;

/// <summary>
/// Bilinear resize with aligned corners (PyTorch's UpsamplingBilinear2d, which ScoreCAM uses for its masks):
/// src = dst·(in − 1)/(out − 1), so corners map to corners.
/// </summary>
public static class AlignCornersResize
{
    /// <summary>Resizes one row-major plane h×w to outH×outW.</summary>
    public static double[] Resize(ReadOnlySpan<double> plane, int h, int w, int outH, int outW)
    {
        var (y0, y1, fy) = Taps(h, outH);
        var (x0, x1, fx) = Taps(w, outW);
        var r = new double[outH * outW];
        for (int i = 0; i < outH; i++)
            for (int j = 0; j < outW; j++)
            {
                double top = plane[y0[i] * w + x0[j]] * (1 - fx[j]) + plane[y0[i] * w + x1[j]] * fx[j];
                double bottom = plane[y1[i] * w + x0[j]] * (1 - fx[j]) + plane[y1[i] * w + x1[j]] * fx[j];
                r[i * outW + j] = top * (1 - fy[i]) + bottom * fy[i];
            }
        return r;
    }

    private static (int[] I0, int[] I1, double[] F) Taps(int inSize, int outSize)
    {
        var i0 = new int[outSize];
        var i1 = new int[outSize];
        var f = new double[outSize];
        double scale = outSize > 1 ? (double)(inSize - 1) / (outSize - 1) : 0;
        for (int d = 0; d < outSize; d++)
        {
            double src = d * scale;
            int a = Math.Min((int)Math.Floor(src), inSize - 1);
            i0[d] = a;
            i1[d] = Math.Min(a + 1, inSize - 1);
            f[d] = src - a;
        }
        return (i0, i1, f);
    }
}
