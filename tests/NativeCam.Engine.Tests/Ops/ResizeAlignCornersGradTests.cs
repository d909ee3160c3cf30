using NativeCam.Engine.Ops;
using static NativeCam.Engine.Tests.GradCheckAssert;

namespace NativeCam.Engine.Tests.Ops;

/// <summary>Bilinear resize with aligned corners (PyTorch align_corners=True) and its adjoint.</summary>
public class ResizeAlignCornersGradTests
{
    /// <summary>The 1-D taps written from PyTorch's rule: src = d·(in − 1)/(out − 1), corners to corners.</summary>
    private static double[,] Matrix(int inN, int outN)
    {
        var m = new double[outN, inN];
        for (int d = 0; d < outN; d++)
        {
            double src = outN == 1 ? 0 : d * (inN - 1.0) / (outN - 1);
            int i0 = Math.Min((int)Math.Floor(src), inN - 1), i1 = Math.Min(i0 + 1, inN - 1);
            m[d, i0] += 1 - (src - i0);
            m[d, i1] += src - i0;
        }
        return m;
    }

    public static TheoryData<int, int, int, int> Sizes => new()
    {
        { 3, 4, 5, 7 },   // up
        { 6, 8, 4, 3 },   // down
        { 5, 1, 3, 4 },   // a one-pixel-wide input
        { 4, 6, 1, 6 },   // a single output row
        { 4, 6, 4, 6 },   // same size
    };

    [Theory, MemberData(nameof(Sizes)), ChecksOp(typeof(ResizeBilinearOp)), ChecksOp(typeof(ResizeBilinearBackwardOp))]
    public void GradientsAndHvp(int h, int w, int oh, int ow)
    {
        Passes(x => x.ResizeBilinearAlignCorners(oh, ow), Rand([2, 3, h, w], 1));
        Passes(x => { var y = x.ResizeBilinearAlignCorners(oh, ow); return y * y.Exp(); }, Rand([2, 3, h, w], 2));
        Passes(x => { var y = new ResizeBilinearBackwardOp(h, w, alignCorners: true).Apply(x); return y * y.Exp(); }, Rand([2, 2, oh, ow], 3));
    }

    [Theory, MemberData(nameof(Sizes))]
    public void ValuesFollowTheAlignedCornersRule(int h, int w, int oh, int ow)
    {
        double[,] ry = Matrix(h, oh), rx = Matrix(w, ow);
        var x = Rand([2, h, w], 4).Reshape(2, 1, h, w);
        var xv = x.ToArray();
        var y = x.ResizeBilinearAlignCorners(oh, ow).ToArray();
        for (int n = 0; n < 2; n++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    double e = 0;
                    for (int a = 0; a < h; a++)
                        for (int b = 0; b < w; b++) e += ry[i, a] * rx[j, b] * xv[(n * h + a) * w + b];
                    Assert.Equal(e, y[(n * oh + i) * ow + j], 12);
                }
        // the four corners of an upsampled map are the input's corners
        if (oh > 1 && ow > 1)
            Assert.Equal(xv[h * w - 1], y[oh * ow - 1], 12);
    }
}
