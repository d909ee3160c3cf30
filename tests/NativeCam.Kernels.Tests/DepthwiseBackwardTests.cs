using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;
using NativeCam.Kernels.Cpu.Conv;
using NativeCam.Kernels.Tests.Reference;

namespace NativeCam.Kernels.Tests;

/// <summary>
/// Backward-input of 3×3 and 5×5 stride-2 depthwise convolutions (MobileNet's and EfficientNet's downsampling layers) on
/// every backend against the reference, on planes whose rows end inside, at and past a vector of outputs, with even
/// and odd sizes (so the last input row and column get one or two dy rows and columns, or none), with the bottom and
/// right padding 0 and 1 (5×5: 1 and 2); the float32 AVX-512 path gathers per input row (<see cref="DepthwiseStride2Backward"/>).
/// </summary>
public class DepthwiseBackwardTests
{
    public static TheoryData<string> BackendNames => Backends.Names;

    private static IEnumerable<Conv2dParams> Cases()
    {
        foreach (var (h, w) in new[] { (7, 7), (8, 9), (15, 32), (16, 33), (5, 64), (12, 65), (3, 113), (3, 2) })
        {
            foreach (int pad in new[] { 0, 1 })
                yield return new Conv2dParams(2, 3, h, w, 3, 3, 3, StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 1,
                    PadBottom: pad, PadRight: 1 - pad, Groups: 3);
            // 5×5 with padding 2 (EfficientNet's): bottom and right padding 1 and 2
            foreach (int pad in new[] { 1, 2 })
                yield return new Conv2dParams(2, 3, h, w, 3, 5, 5, StrideH: 2, StrideW: 2, PadTop: 2, PadLeft: 2,
                    PadBottom: pad, PadRight: 3 - pad, Groups: 3);
        }
    }

    [Theory, MemberData(nameof(BackendNames))]
    public void GathersWhatTheReferenceScatters(string backend)
    {
        using var k = Backends.Create(backend);
        int seed = 70;
        foreach (var t in new[] { DType.Float32, DType.Float64 })
            foreach (var p in Cases())
            {
                if (p.OH < 1 || p.OW < 1) continue;
                var w = Backends.Random(p.K * p.KH * p.KW, seed++);
                var dy = Backends.Random(p.N * p.K * p.OH * p.OW, seed++);
                if (t == DType.Float32) (w, dy) = (w.Select(v => (double)(float)v).ToArray(), dy.Select(v => (double)(float)v).ToArray());
                // starts as NaN: every element must be written, not accumulated
                var dx = Backends.Upload(k, Enumerable.Repeat(double.NaN, p.N * p.C * p.H * p.W).ToArray(), t);
                k.Conv2dBackwardInput(p, Backends.Upload(k, dy, t), Backends.Upload(k, w, t), dx);
                double tol = Backends.Tol(t, p.KH * p.KW);
                Backends.AssertClose(ConvReference.BackwardInput(p, dy, w), Backends.Download(k, dx), tol, tol, $"{backend} {t} {p}");
            }
    }

    [Fact]
    public void TheGatherTakesTheFloat32Avx512Path()
    {
        foreach (var p in Cases())
        {
            var g = new ConvGeometry(p);
            Assert.Equal(CpuKernels.IsSupported(SimdLevel.Vector512), DepthwiseStride2Backward.Applies<float>(g, SimdLevel.Vector512));
            Assert.False(DepthwiseStride2Backward.Applies<double>(g, SimdLevel.Vector512));
            Assert.False(DepthwiseStride2Backward.Applies<float>(g, SimdLevel.Vector256));
        }
        Assert.False(DepthwiseStride2Backward.Applies<float>(new ConvGeometry(new Conv2dParams(1, 3, 9, 9, 3, 3, 3, StrideH: 2, StrideW: 2,
            PadTop: 0, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 3)), SimdLevel.Vector512));
        Assert.False(DepthwiseStride2Backward.Applies<float>(new ConvGeometry(new Conv2dParams(1, 3, 9, 9, 3, 5, 5, StrideH: 2, StrideW: 2,
            PadTop: 1, PadLeft: 2, PadBottom: 2, PadRight: 2, Groups: 3)), SimdLevel.Vector512));
    }
}
