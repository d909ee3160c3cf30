namespace NativeCam.Kernels.Cpu;

/// <summary>Which SIMD width the CPU kernels use.</summary>
public enum SimdLevel
{
    /// <summary>The widest the processor accelerates: Vector512, else Vector256, else scalar.</summary>
    Auto,
    /// <summary>AVX-512 (Vector512), FMA.</summary>
    Vector512,
    /// <summary>AVX2 (Vector256), FMA.</summary>
    Vector256,
    /// <summary>Plain scalar loops (the fallback; also a test reference path).</summary>
    Scalar,
}
