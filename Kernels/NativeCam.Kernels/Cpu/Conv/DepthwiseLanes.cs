using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NativeCam.Kernels.Cpu.Gemm;

namespace NativeCam.Kernels.Cpu.Conv;

/// <summary>The vector operations the depthwise row kernels need, so one generic kernel serves both SIMD widths
/// (the JIT specialises it per struct and inlines every call).</summary>
internal unsafe interface IDwLanes<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract int Count { get; }
    static abstract TV Load(T* p);
    static abstract void Store(TV v, T* p);
    static abstract TV Splat(T x);
    static abstract TV Fma(TV a, TV b, TV c);
    static abstract TV Mul(TV a, TV b);
    static abstract TV Add(TV a, TV b);
    static abstract TV Clamp(TV v, T lo, T hi);
}

/// <summary>256-bit lanes.</summary>
internal readonly unsafe struct Dw256<T> : IDwLanes<Vector256<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector256<T>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Load(T* p) => Vector256.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<T> v, T* p) => Vector256.Store(v, p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Splat(T x) => Vector256.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Fma(Vector256<T> a, Vector256<T> b, Vector256<T> c) => SimdOps.Fma(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Mul(Vector256<T> a, Vector256<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Clamp(Vector256<T> v, T lo, T hi) => Vector256.MinNative(Vector256.MaxNative(v, Vector256.Create(lo)), Vector256.Create(hi));
}

/// <summary>512-bit lanes.</summary>
internal readonly unsafe struct Dw512<T> : IDwLanes<Vector512<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector512<T>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Load(T* p) => Vector512.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<T> v, T* p) => Vector512.Store(v, p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Splat(T x) => Vector512.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Fma(Vector512<T> a, Vector512<T> b, Vector512<T> c) => SimdOps.Fma(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Mul(Vector512<T> a, Vector512<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Clamp(Vector512<T> v, T lo, T hi) => Vector512.MinNative(Vector512.MaxNative(v, Vector512.Create(lo)), Vector512.Create(hi));
}
