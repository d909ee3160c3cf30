using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;
using NativeCam.Kernels.Cpu.Conv;
using NativeCam.Kernels.Cpu.Gemm;
using NativeCam.Kernels.Tests.Reference;

namespace NativeCam.Kernels.Tests;

/// <summary>
/// Convolutions whose weights are constant read them (and Wᵀ for backward-input) as panels packed once (PrepackedA):
/// bit for bit the result of
/// the same convolution with weights packed or read in place per call, and the float64 reference, on every SIMD path
/// and every GEMM convolution path (implicit im2col, gathered im2col, strided 1×1, Winograd's 16 products of
/// transformed weights), with several K blocks, row counts that leave partial panels, bias, residual and activations.
/// </summary>
public class PrepackedWeightsTests
{
    private static readonly Conv2dParams[] Cases =
    [
        new(2, 5, 7, 9, 13, 1, 1, Activation: FusedActivation.Relu),                                     // few columns: in-place A otherwise
        new(1, 300, 5, 7, 19, 1, 1, Activation: FusedActivation.Clip, ActivationMin: 0, ActivationMax: 6), // two K blocks
        new(1, 300, 1, 1, 60, 1, 1, Activation: FusedActivation.Silu),                                   // a 1×1 map: B's one column in place
        new(1, 7, 21, 19, 11, 1, 1),                                                                      // 399 columns: packed per call otherwise
        new(1, 6, 11, 13, 7, 5, 5, PadTop: 2, PadLeft: 2, PadBottom: 2, PadRight: 2, Activation: FusedActivation.Silu), // implicit im2col
        new(2, 9, 13, 11, 10, 3, 3, StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1), // gathered im2col
        new(1, 3, 31, 29, 8, 3, 3, StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1), // stem
        new(2, 12, 10, 14, 17, 1, 1, StrideH: 2, StrideW: 2, Activation: FusedActivation.HardSwish),      // strided 1×1
        new(1, 4, 9, 9, 6, 3, 3, DilationH: 2, DilationW: 2, PadTop: 2, PadLeft: 2, PadBottom: 2, PadRight: 2), // dilated 3×3
    ];

    public static TheoryData<SimdLevel, DType> Paths()
    {
        var d = new TheoryData<SimdLevel, DType>();
        foreach (var simd in new[] { SimdLevel.Scalar, SimdLevel.Vector256, SimdLevel.Vector512 })
            foreach (var t in new[] { DType.Float32, DType.Float64 }) d.Add(simd, t);
        return d;
    }

    [Theory, MemberData(nameof(Paths))]
    public void ConstantWeightsGiveTheSameBits(SimdLevel simd, DType t)
    {
        if (simd == SimdLevel.Vector256 && !CpuKernels.IsSupported(simd)) return; // Vector512 runs emulated anywhere
        var k = new CpuKernels(SimdLevel.Scalar, 2);
        int seed = 900;
        foreach (var p in Cases)
        {
            double[] Rand(int n, int s) => Backends.Random(n, s).Select(v => t == DType.Float32 ? (double)(float)v : v).ToArray();
            var x = Rand(p.N * p.C * p.H * p.W, seed += 10);
            var w = Rand(p.K * p.C * p.KH * p.KW, seed + 1);
            var b = Rand(p.K, seed + 2);
            var r = Rand(p.N * p.K * p.OH * p.OW, seed + 3);
            var (plain, packed) = t == DType.Float32 ? Run<float>(k, simd, p, x, w, b, r) : Run<double>(k, simd, p, x, w, b, r);
            Assert.Equal(plain, packed);
            double tol = Backends.Tol(t, p.C * p.KH * p.KW + 2);
            Backends.AssertClose(ConvReference.Forward(p, x, w, b, r), packed, tol, tol, $"{simd} {t} {p}");
        }
    }

    private static (double[] Plain, double[] Packed) Run<T>(CpuKernels k, SimdLevel simd, Conv2dParams p, double[] x, double[] w, double[] b, double[] r)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        T[] Of(double[] v) => v.Select(T.CreateChecked).ToArray();
        T[] xs = Of(x), ws = Of(w), bs = Of(b), rs = Of(r);
        var plain = new T[r.Length];
        var packed = new T[r.Length];
        k.Conv2dCore<T>(simd, p, xs, ws, bs, true, plain, rs, true);
        k.Conv2dCore<T>(simd, p, xs, ws, bs, true, packed, rs, true, constantWeights: ws);
        k.Conv2dCore<T>(simd, p, xs, ws, bs, true, packed, rs, true, constantWeights: ws); // the cached panels
        // backward-input through Wᵀ's panels (Winograd's turned weights where it applies), dy = the residual data
        var dxPlain = new T[x.Length];
        var dxPacked = new T[x.Length];
        k.Conv2dBackwardInputCore<T>(simd, p, rs, ws, dxPlain);
        k.Conv2dBackwardInputCore<T>(simd, p, rs, ws, dxPacked, constantWeights: ws);
        if (!(p.KH == 3 && p.KW == 3 && p.StrideH == 1 && p.DilationH == 1)) Assert.Equal(dxPlain, dxPacked);
        double tol = Backends.Tol(DType.Float32, p.K * p.KH * p.KW + 2);
        Backends.AssertClose(ConvReference.BackwardInput(p, r, w), dxPacked.Select(double.CreateChecked).ToArray(), tol, tol, $"{simd} backward-input {p}");
        return (plain.Select(double.CreateChecked).ToArray(), packed.Select(double.CreateChecked).ToArray());
    }

    [Theory, MemberData(nameof(Paths))]
    public unsafe void WinogradPanelsGiveTheSameBits(SimdLevel simd, DType t)
    {
        if (simd == SimdLevel.Vector256 && !CpuKernels.IsSupported(simd)) return;
        if (t == DType.Float32) Winograd<float>(simd); else Winograd<double>(simd);
    }

    private static unsafe void Winograd<T>(SimdLevel simd) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var k = new CpuKernels(SimdLevel.Scalar, 2);
        int seed = 1300;
        foreach (var p in new Conv2dParams[]
        {
            new(1, 300, 9, 7, 13, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1),        // two K blocks, 13 rows
            new(2, 7, 14, 15, 20, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Activation: FusedActivation.Relu),
        })
        {
            var g = new ConvGeometry(p);
            T[] Of(int n, int s) => Backends.Random(n, s).Select(T.CreateChecked).ToArray();
            T[] x = Of(p.N * p.C * p.H * p.W, seed += 10), w = Of(p.K * p.C * 9, seed + 1), b = Of(p.K, seed + 2);
            var u = WinogradWeights.Cached(w, p.K, p.C);
            T[] plain = new T[p.N * p.K * p.OH * p.OW], packed = new T[plain.Length];
            var act = Epilogue<T>.Of(p);
            fixed (T* px = x, pu = u, pb = b, py = plain, pq = packed)
            {
                NativeCam.Kernels.Cpu.Conv.Winograd.Forward(k, simd, g, px, pu, pb, py, act, null);
                NativeCam.Kernels.Cpu.Conv.Winograd.Forward(k, simd, g, px, pu, pb, pq, act, null, u);
            }
            Assert.Equal(plain, packed);
        }
    }
}
