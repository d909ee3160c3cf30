using NativeCam.Engine.Ops;
using NativeCam.Kernels;
using static NativeCam.Engine.Tests.GradCheckAssert;

namespace NativeCam.Engine.Tests.Ops;

/// <summary>Bilinear resize (OpenCV INTER_LINEAR) and its adjoint.</summary>
public class ResizeGradTests
{
    /// <summary>
    /// The resize as a dense matrix [outH·outW, inH·inW] written from OpenCV's rule: src = (dst + 0.5)·in/out − 0.5,
    /// a coordinate left of 0 or at/after the last pixel sticks to the border pixel.
    /// </summary>
    private static double[,] Matrix(int inH, int inW, int outH, int outW)
    {
        var r = new double[outH * outW, inH * inW];
        for (int oy = 0; oy < outH; oy++)
            for (int ox = 0; ox < outW; ox++)
            {
                var (y0, y1, wy) = Taps(oy, inH, outH);
                var (x0, x1, wx) = Taps(ox, inW, outW);
                int row = oy * outW + ox;
                r[row, y0 * inW + x0] += (1 - wy) * (1 - wx);
                r[row, y0 * inW + x1] += (1 - wy) * wx;
                r[row, y1 * inW + x0] += wy * (1 - wx);
                r[row, y1 * inW + x1] += wy * wx;
            }
        return r;
    }

    private static (int I0, int I1, double W) Taps(int o, int n, int outN)
    {
        double f = (o + 0.5) * ((double)n / outN) - 0.5;
        int i0 = (int)Math.Floor(f);
        double w = f - i0;
        if (i0 < 0) { i0 = 0; w = 0; }
        if (i0 >= n - 1) { i0 = n - 1; w = 0; }
        return (i0, Math.Min(i0 + 1, n - 1), w);
    }

    /// <summary>Applies the matrix (or its transpose) to every plane.</summary>
    private static double[] Apply(double[,] m, double[] x, int planes, bool transpose)
    {
        int rows = m.GetLength(0), cols = m.GetLength(1);
        int nIn = transpose ? rows : cols, nOut = transpose ? cols : rows;
        var y = new double[planes * nOut];
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++)
                    if (transpose) y[p * nOut + j] += m[i, j] * x[p * nIn + i];
                    else y[p * nOut + i] += m[i, j] * x[p * nIn + j];
        return y;
    }

    public static TheoryData<int, int, int, int> Sizes => new()
    {
        { 3, 4, 5, 7 },   // up, non-integer factors
        { 6, 8, 4, 3 },   // down
        { 2, 2, 4, 4 },   // exact 2×
        { 5, 1, 3, 4 },   // a one-pixel-wide input
        { 4, 6, 4, 6 },   // same size
    };

    [Theory, MemberData(nameof(Sizes)), ChecksOp(typeof(ResizeBilinearOp))]
    public void Resize(int h, int w, int oh, int ow)
    {
        Passes(x => x.ResizeBilinear(oh, ow), Rand([2, 3, h, w], 1));
        Passes(x => { var y = x.ResizeBilinear(oh, ow); return y * y.Exp(); }, Rand([2, 3, h, w], 2));
    }

    [Theory, MemberData(nameof(Sizes)), ChecksOp(typeof(ResizeBilinearBackwardOp))]
    public void ResizeBackward(int h, int w, int oh, int ow)
    {
        Passes(x => new ResizeBilinearBackwardOp(h, w).Apply(x), Rand([2, 2, oh, ow], 3));
        Passes(x => { var y = new ResizeBilinearBackwardOp(h, w).Apply(x); return y * y.Exp(); }, Rand([2, 2, oh, ow], 4));
    }

    [Theory, MemberData(nameof(Sizes))]
    public void ValuesMatchTheOpenCvRule(int h, int w, int oh, int ow)
    {
        var m = Matrix(h, w, oh, ow);
        var d = LayoutRef.Data(6 * h * w, 5);
        var y = Tensor.FromArray(d, [2, 3, h, w]).ResizeBilinear(oh, ow);
        Assert.Equal(new[] { 2, 3, oh, ow }, y.Shape);
        Close(Apply(m, d, 6, transpose: false), y.ToArray(), 1e-9, 1e-12, "resize");
        var g = LayoutRef.Data(6 * oh * ow, 6);
        var back = new ResizeBilinearBackwardOp(h, w).Apply(Tensor.FromArray(g, [2, 3, oh, ow]));
        Assert.Equal(new[] { 2, 3, h, w }, back.Shape);
        Close(Apply(m, g, 6, transpose: true), back.ToArray(), 1e-9, 1e-12, "resize adjoint");
    }

    [Fact]
    public void UpscaleByTwoMatchesOpenCv()
    {
        var x = Tensor.FromArray(new double[] { 1, 2, 3, 4 }, [1, 1, 2, 2]);
        Assert.Equal(new double[]
        {
            1, 1.25, 1.75, 2,
            1.5, 1.75, 2.25, 2.5,
            2.5, 2.75, 3.25, 3.5,
            3, 3.25, 3.75, 4,
        }, x.ResizeBilinear(4, 4).ToArray());
    }

    [Fact]
    public void Float32AgreesWithFloat64()
    {
        var d = LayoutRef.Data(2 * 3 * 5 * 7, 7);
        foreach (var (oh, ow) in new[] { (9, 4), (3, 11) })
        {
            var y64 = Tensor.FromDoubles(d, [2, 3, 5, 7], DType.Float64).ResizeBilinear(oh, ow);
            var y32 = Tensor.FromDoubles(d, [2, 3, 5, 7], DType.Float32).ResizeBilinear(oh, ow);
            Close(y64.ToArray(), y32.ToArray(), 1e-5, 1e-6, "resize float32 vs float64");
            var b64 = new ResizeBilinearBackwardOp(5, 7).Apply(y64);
            var b32 = new ResizeBilinearBackwardOp(5, 7).Apply(y32);
            Close(b64.ToArray(), b32.ToArray(), 1e-5, 1e-5, "resize adjoint float32 vs float64");
        }
    }
}
