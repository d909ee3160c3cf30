using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;
using NativeCam.Kernels.Cpu.Conv;

namespace NativeCam.Kernels.Tests;

/// <summary>Convolutions with short output rows through the gathered im2col matrix and the pointwise GEMM, stems with
/// long rows through B panels packed from the phase planes: against the float64 reference, and bit for bit against
/// the implicit-im2col GEMM they replace (the same sums in the same order).</summary>
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
        new(19, 17, 100, 100, 4, 3, 3, StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1), // planes of images in two groups
    ];

    [Theory]
    [InlineData(SimdLevel.Scalar)]
    [InlineData(SimdLevel.Vector256)]
    [InlineData(SimdLevel.Vector512)]
    public unsafe void EqualsTheIm2colGemmBitwiseAndTheReference(SimdLevel simd) =>
        ImplicitGemmParity.Check(simd, Cases, g => GatheredIm2col.Applies(g), GatheredIm2col.Forward);
}
