using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;
using NativeCam.Kernels.Cpu.Conv;
using NativeCam.Kernels.Cpu.Gemm;
using NativeCam.Kernels.Tests.Reference;

namespace NativeCam.Kernels.Tests;

/// <summary>A float32 forward convolution path that replaces the implicit-im2col GEMM for some geometries.</summary>
internal unsafe delegate void ConvPath(CpuKernels k, SimdLevel simd, in ConvGeometry g, float* x, float* w, float* bias, float* y,
    Epilogue<float> act, float* residual, float[]? constantWeights);

/// <summary>Checks such a path bit for bit against the implicit-im2col GEMM it replaces (the same sums in the same
/// order), with its weights read per call and packed once (constant), and against the float64 reference, with bias
/// and residual.</summary>
internal static class ImplicitGemmParity
{
    private static float[] F(double[] v) => v.Select(d => (float)d).ToArray();

    private static double[] Rounded(int n, int seed, double lo = -1, double hi = 1) =>
        Backends.Random(n, seed, lo, hi).Select(v => (double)(float)v).ToArray();

    public static unsafe void Check(SimdLevel simd, Conv2dParams[] cases, Func<ConvGeometry, bool> applies, ConvPath path)
    {
        if (simd == SimdLevel.Vector256 && !CpuKernels.IsSupported(simd)) return;
        var k = new CpuKernels(SimdLevel.Scalar, 2);
        int seed = 500;
        foreach (var p in cases)
        {
            var g = new ConvGeometry(p);
            Assert.True(applies(g));
            var xd = Rounded(p.N * p.C * p.H * p.W, seed += 10, -2, 2);
            var wd = Rounded(p.K * p.C * p.KH * p.KW, seed + 1);
            var bd = Rounded(p.K, seed + 2);
            var rd = Rounded(p.N * p.K * p.OH * p.OW, seed + 3);
            float[] x = F(xd), w = F(wd), b = F(bd), r = F(rd);
            float[] fast = new float[rd.Length], prepacked = new float[rd.Length], implicitGemm = new float[rd.Length];
            var act = Epilogue<float>.Of(p);
            fixed (float* px = x, pw = w, pb = b, pr = r, pf = fast, pp = prepacked, pg = implicitGemm)
            {
                path(k, simd, g, px, pw, pb, pf, act, pr, null);
                path(k, simd, g, px, pw, pb, pp, act, pr, w);
                ConvGemm.Forward(k, simd, g, px, pw, pb, pg, act, pr);
            }
            Assert.Equal(implicitGemm, fast);
            Assert.Equal(implicitGemm, prepacked);
            double tol = Backends.Tol(DType.Float32, p.C * p.KH * p.KW + 2);
            Backends.AssertClose(ConvReference.Forward(p, xd, wd, bd, rd), fast.Select(v => (double)v).ToArray(), tol, tol, $"{simd} {p}");
        }
    }
}
