using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NativeCam.Kernels.Cpu.Elementwise;

namespace NativeCam.Kernels.Cpu.Gemm;

/// <summary>One activation of <see cref="Epilogue{T}"/> for scalars and both vector widths (each formula written as
/// the matching <see cref="UnaryKind"/> is on the same path).</summary>
internal interface IPost<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract T Of(T v, in Epilogue<T> e);
    static abstract Vector256<T> Of(Vector256<T> v, in Epilogue<T> e);
    static abstract Vector512<T> Of(Vector512<T> v, in Epilogue<T> e);
}

/// <summary>min(max(v, Lo), Hi).</summary>
internal readonly struct ClampPost<T> : IPost<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Of(T v, in Epilogue<T> e) => T.Min(T.Max(v, e.Lo), e.Hi);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Of(Vector256<T> v, in Epilogue<T> e) => Vector256.MinNative(Vector256.MaxNative(v, Vector256.Create(e.Lo)), Vector256.Create(e.Hi));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Of(Vector512<T> v, in Epilogue<T> e) => Vector512.MinNative(Vector512.MaxNative(v, Vector512.Create(e.Lo)), Vector512.Create(e.Hi));
}

/// <summary>v &lt; 0 ? Alpha·v : v.</summary>
internal readonly struct LeakyPost<T> : IPost<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Of(T v, in Epilogue<T> e) => v < T.Zero ? e.Alpha * v : v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Of(Vector256<T> v, in Epilogue<T> e) => Vector256.ConditionalSelect(Vector256.LessThan(v, Vector256<T>.Zero), Vector256.Create(e.Alpha) * v, v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Of(Vector512<T> v, in Epilogue<T> e) => Vector512.ConditionalSelect(Vector512.LessThan(v, Vector512<T>.Zero), Vector512.Create(e.Alpha) * v, v);
}

/// <summary>v·max(0, min(1, v/6 + 1/2)).</summary>
internal readonly struct HardSwishPost<T> : IPost<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Of(T v, in Epilogue<T> e) => v * T.Max(T.Zero, T.Min(T.One, v / T.CreateTruncating(6) + T.CreateTruncating(0.5)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Of(Vector256<T> v, in Epilogue<T> e) => v * Vector256.Max(Vector256<T>.Zero, Vector256.Min(Vector256<T>.One,
        v / Vector256.Create(T.CreateTruncating(6)) + Vector256.Create(T.CreateTruncating(0.5))));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Of(Vector512<T> v, in Epilogue<T> e) => v * Vector512.Max(Vector512<T>.Zero, Vector512.Min(Vector512<T>.One,
        v / Vector512.Create(T.CreateTruncating(6)) + Vector512.Create(T.CreateTruncating(0.5))));
}

/// <summary>v / (1 + e^(−v)) (the unary op's vector formula: <see cref="IVec{TV, T}.Silu"/>).</summary>
internal readonly struct SiluPost<T> : IPost<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Of(T v, in Epilogue<T> e) => v / (T.One + T.Exp(-v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Of(Vector256<T> v, in Epilogue<T> e) => typeof(T) == typeof(float)
        ? SiluF32.Silu(v.AsSingle()).As<float, T>() : V256D.Silu(v.AsDouble()).As<double, T>();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Of(Vector512<T> v, in Epilogue<T> e) => typeof(T) == typeof(float)
        ? SiluF32.Silu(v.AsSingle()).As<float, T>() : V512D.Silu(v.AsDouble()).As<double, T>();
}

/// <summary>The loops of <see cref="Epilogue{T}.ApplyTile"/>, one instantiation per activation.</summary>
internal static unsafe class EpilogueLoops<T, TP> where T : unmanaged, IFloatingPointIeee754<T> where TP : struct, IPost<T>
{
    /// <summary>act over rows × cols at p (row stride ld); a ragged row end goes through a zero-padded vector so
    /// every element takes the vector formula.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Tile(SimdLevel simd, in Epilogue<T> e, T* p, nint ld, int rows, int cols)
    {
        if (simd == SimdLevel.Vector512)
        {
            int v = Vector512<T>.Count;
            for (int r = 0; r < rows; r++)
            {
                T* q = p + r * ld;
                int i = 0;
                for (; i + v <= cols; i += v) TP.Of(Vector512.Load(q + i), e).Store(q + i);
                if (i < cols) Tail512(e, q + i, cols - i);
            }
        }
        else if (simd == SimdLevel.Vector256)
        {
            int v = Vector256<T>.Count;
            for (int r = 0; r < rows; r++)
            {
                T* q = p + r * ld;
                int i = 0;
                for (; i + v <= cols; i += v) TP.Of(Vector256.Load(q + i), e).Store(q + i);
                if (i < cols) Tail256(e, q + i, cols - i);
            }
        }
        else
            for (int r = 0; r < rows; r++)
                for (int i = 0; i < cols; i++) p[r * ld + i] = TP.Of(p[r * ld + i], e);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tail256(in Epilogue<T> e, T* p, int n)
    {
        if (Avx.IsSupported)
        {
            // masked moves: the lanes past n read as 0 (as the zero-padded vector) and are not written
            var keep = Vector256.LessThan(Vector256<T>.Indices, Vector256.Create(T.CreateTruncating(n)));
            if (typeof(T) == typeof(float)) Avx.MaskStore((float*)p, keep.AsSingle(), TP.Of(Avx.MaskLoad((float*)p, keep.AsSingle()).As<float, T>(), e).AsSingle());
            else Avx.MaskStore((double*)p, keep.AsDouble(), TP.Of(Avx.MaskLoad((double*)p, keep.AsDouble()).As<double, T>(), e).AsDouble());
            return;
        }
        var t = Vector256<T>.Zero;
        for (int j = 0; j < n; j++) t = t.WithElement(j, p[j]);
        t = TP.Of(t, e);
        for (int j = 0; j < n; j++) p[j] = t.GetElement(j);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tail512(in Epilogue<T> e, T* p, int n)
    {
        if (Avx512F.IsSupported)
        {
            var keep = Vector512.LessThan(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(n)));
            if (typeof(T) == typeof(float)) Avx512F.MaskStore((float*)p, keep.AsSingle(), TP.Of(Avx512F.MaskLoad((float*)p, keep.AsSingle(), default).As<float, T>(), e).AsSingle());
            else Avx512F.MaskStore((double*)p, keep.AsDouble(), TP.Of(Avx512F.MaskLoad((double*)p, keep.AsDouble(), default).As<double, T>(), e).AsDouble());
            return;
        }
        var t = Vector512<T>.Zero;
        for (int j = 0; j < n; j++) t = t.WithElement(j, p[j]);
        t = TP.Of(t, e);
        for (int j = 0; j < n; j++) p[j] = t.GetElement(j);
    }
}
