using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;
using NativeCam.Kernels.Cpu.Conv;
using NativeCam.Kernels.Cpu.Gemm;
using NativeCam.Kernels.Tests.Reference;

namespace NativeCam.Kernels.Tests;

/// <summary>Convolutions with short output rows and stems through the gathered im2col matrix and the pointwise GEMM: against the
/// float64 reference, and bit for bit against the implicit-im2col GEMM they replace (the same sums in the same order).</summary>
public class GatheredIm2colTests
{
    private static readonly Conv2dParams[] Cases =
    [
        new(2, 5, 14, 14, 7, 3, 3, StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1),
        new(3, 17, 7, 7, 33, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Activation: FusedActivation.Relu),
        new(1, 8, 10, 21, 9, 2, 3, StrideH: 1, StrideW: 3, PadTop: 0, PadLeft: 2, PadBottom: 1, PadRight: 0),
        new(1, 6, 13, 11, 5, 3, 3, DilationH: 2, DilationW: 2, PadTop: 2, PadLeft: 2, PadBottom: 2, PadRight: 2, Activation: FusedActivation.Clip, ActivationMin: -0.2, ActivationMax: 0.3),
        new(2, 3, 9, 9, 4, 5, 5, StrideH: 2, StrideW: 2),                                  // no padding
        new(40, 300, 9, 9, 20, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1), // images in several groups
        new(2, 3, 40, 37, 5, 3, 3, StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1), // stems: long rows
        new(1, 3, 30, 45, 4, 7, 7, StrideH: 2, StrideW: 2, PadTop: 3, PadLeft: 3, PadBottom: 3, PadRight: 3, Activation: FusedActivation.Relu),
        new(1, 2, 21, 50, 3, 3, 3, StrideH: 3, StrideW: 3, PadTop: 1, PadLeft: 2, PadBottom: 0, PadRight: 1),
    ];

    private static float[] F(double[] v) => v.Select(d => (float)d).ToArray();

    [Theory]
    [InlineData(SimdLevel.Scalar)]
    [InlineData(SimdLevel.Vector256)]
    [InlineData(SimdLevel.Vector512)]
    public unsafe void EqualsTheIm2colGemmBitwiseAndTheReference(SimdLevel simd)
    {
        if (simd == SimdLevel.Vector256 && !CpuKernels.IsSupported(simd)) return;
        var k = new CpuKernels(SimdLevel.Scalar, 2);
        int seed = 500;
        foreach (var p in Cases)
        {
            var g = new ConvGeometry(p);
            Assert.True(GatheredIm2col.Applies(g));
            var xd = Backends.Random(p.N * p.C * p.H * p.W, seed += 10, -2, 2).Select(v => (double)(float)v).ToArray();
            var wd = Backends.Random(p.K * p.C * p.KH * p.KW, seed + 1).Select(v => (double)(float)v).ToArray();
            var bd = Backends.Random(p.K, seed + 2).Select(v => (double)(float)v).ToArray();
            var rd = Backends.Random(p.N * p.K * p.OH * p.OW, seed + 3).Select(v => (double)(float)v).ToArray();
            float[] x = F(xd), w = F(wd), b = F(bd), r = F(rd);
            float[] fast = new float[rd.Length], gathered = new float[rd.Length];
            var act = Epilogue<float>.Of(p);
            fixed (float* px = x, pw = w, pb = b, pr = r, pf = fast, pg = gathered)
            {
                GatheredIm2col.Forward(k, simd, g, px, pw, pb, pf, act, pr);
                ConvGemm.Forward(k, simd, g, px, pw, pb, pg, act, pr);
            }
            Assert.Equal(gathered, fast);
            double tol = Backends.Tol(DType.Float32, p.C * p.KH * p.KW + 2);
            Backends.AssertClose(ConvReference.Forward(p, xd, wd, bd, rd), fast.Select(v => (double)v).ToArray(), tol, tol, $"{simd} {p}");
        }
    }
}
