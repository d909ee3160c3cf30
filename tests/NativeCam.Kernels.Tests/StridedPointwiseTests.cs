using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;
using NativeCam.Kernels.Cpu.Conv;

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

    [Theory]
    [InlineData(SimdLevel.Scalar)]
    [InlineData(SimdLevel.Vector256)]
    [InlineData(SimdLevel.Vector512)]
    public unsafe void EqualsTheIm2colGemmBitwiseAndTheReference(SimdLevel simd) =>
        ImplicitGemmParity.Check(simd, Cases, g => StridedPointwise.Applies(g), StridedPointwise.Forward);
}
