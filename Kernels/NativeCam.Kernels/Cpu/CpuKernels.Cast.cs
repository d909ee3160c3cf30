using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NativeCam.Kernels.Cpu;

public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Cast(IBuffer source, IBuffer destination)
    {
        if (source.Length != destination.Length) throw new ArgumentException("cast between buffers of different lengths");
        switch (source.DType, destination.DType)
        {
            case (DType.Float32, DType.Float64): Widen(Simd, Host<float>(source), Host<double>(destination)); break;
            case (DType.Float64, DType.Float32): Narrow(Simd, Host<double>(source), Host<float>(destination)); break;
            case (DType.Int32, DType.Float32):
                { var s = Host<int>(source); var d = Host<float>(destination); for (int i = 0; i < s.Length; i++) d[i] = s[i]; break; }
            case (DType.Int32, DType.Float64):
                { var s = Host<int>(source); var d = Host<double>(destination); for (int i = 0; i < s.Length; i++) d[i] = s[i]; break; }
            default:
                if (source.DType != destination.DType) throw new NotSupportedException($"cast {source.DType} → {destination.DType}");
                switch (source.DType)
                {
                    case DType.Float32: Host<float>(source).CopyTo(Host<float>(destination)); break;
                    case DType.Float64: Host<double>(source).CopyTo(Host<double>(destination)); break;
                    default: Host<int>(source).CopyTo(Host<int>(destination)); break;
                }
                break;
        }
    }


    /// <summary>d[i] = s[i] as float64 (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void Widen(SimdLevel simd, ReadOnlySpan<float> s, Span<double> d)
    {
        int n = s.Length, i = 0;
        fixed (float* ps = s)
        fixed (double* pd = d)
        {
            if (simd == SimdLevel.Vector512)
                for (; i <= n - 16; i += 16)
                {
                    var v = Vector512.Load(ps + i);
                    Vector512.WidenLower(v).Store(pd + i);
                    Vector512.WidenUpper(v).Store(pd + i + 8);
                }
            else if (simd == SimdLevel.Vector256)
                for (; i <= n - 8; i += 8)
                {
                    var v = Vector256.Load(ps + i);
                    Vector256.WidenLower(v).Store(pd + i);
                    Vector256.WidenUpper(v).Store(pd + i + 4);
                }
            for (; i < n; i++) pd[i] = ps[i];
        }
    }

    /// <summary>d[i] = s[i] rounded to float32 (to nearest, as the scalar conversion).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void Narrow(SimdLevel simd, ReadOnlySpan<double> s, Span<float> d)
    {
        int n = s.Length, i = 0;
        fixed (double* ps = s)
        fixed (float* pd = d)
        {
            if (simd == SimdLevel.Vector512)
                for (; i <= n - 16; i += 16)
                    Vector512.Narrow(Vector512.Load(ps + i), Vector512.Load(ps + i + 8)).Store(pd + i);
            else if (simd == SimdLevel.Vector256)
                for (; i <= n - 8; i += 8)
                    Vector256.Narrow(Vector256.Load(ps + i), Vector256.Load(ps + i + 4)).Store(pd + i);
            for (; i < n; i++) pd[i] = (float)ps[i];
        }
    }
}
