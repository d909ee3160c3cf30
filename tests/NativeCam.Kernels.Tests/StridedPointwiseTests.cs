using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;
using NativeCam.Kernels.Cpu.Conv;
using NativeCam.Kernels.Cpu.Gemm;
using NativeCam.Kernels.Tests.Reference;

namespace NativeCam.Kernels.Tests;

/// <summary>Strided 1×1 convolutions through the subsampled pointwise GEMM: against the float64 reference, and bit
/// for bit against the implicit-im2col GEMM they replace (the same sums in the same order).</summary>
public class StridedPointwiseTests
{
    private static readonly Conv2dParams[] Cases =
    [
        new(2, 5, 9, 13, 7, 1, 1, StrideH: 2, StrideW: 2),
        new(3, 17, 14, 14, 33, 1, 1, StrideH: 2, StrideW: 2, Activation: FusedActivation.Relu),
        new(1, 8, 10, 21, 9, 1, 1, StrideH: 1, StrideW: 3),
        new(1, 300, 64, 64, 20, 1, 1, StrideH: 2, StrideW: 2),   // images in several groups
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
            Assert.True(StridedPointwise.Applies(g));
            var xd = Backends.Random(p.N * p.C * p.H * p.W, seed += 10, -2, 2).Select(v => (double)(float)v).ToArray();
            var wd = Backends.Random(p.K * p.C, seed + 1).Select(v => (double)(float)v).ToArray();
            var bd = Backends.Random(p.K, seed + 2).Select(v => (double)(float)v).ToArray();
            var rd = Backends.Random(p.N * p.K * p.OH * p.OW, seed + 3).Select(v => (double)(float)v).ToArray();
            float[] x = F(xd), w = F(wd), b = F(bd), r = F(rd);
            float[] fast = new float[rd.Length], gathered = new float[rd.Length];
            var act = Epilogue<float>.Of(p);
            fixed (float* px = x, pw = w, pb = b, pr = r, pf = fast, pg = gathered)
            {
                StridedPointwise.Forward(k, simd, g, px, pw, pb, pf, act, pr);
                ConvGemm.Forward(k, simd, g, px, pw, pb, pg, act, pr);
            }
            Assert.Equal(gathered, fast);
            double tol = Backends.Tol(DType.Float32, p.C + 2);
            Backends.AssertClose(ConvReference.Forward(p, xd, wd, bd, rd), fast.Select(v => (double)v).ToArray(), tol, tol, $"{simd} {p}");
        }
    }
}
