using System.Numerics;
using System.Runtime.CompilerServices;

namespace NativeCam.Kernels.Cpu.Elementwise;

/// <summary>One binary function on vectors and on scalars. The binary kernel is generic over it, so the function is
/// chosen once per call instead of once per vector (a switch inside the loop cost a jump per vector and kept
/// short rows, such as a squeeze-excitation scale over 7×7 planes, from running at memory speed).</summary>
internal interface IBinaryLanes
{
    static abstract TV Apply<TOps, TV, T>(TV a, TV b)
        where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>The same function on one element (must equal <see cref="CpuKernels.BinaryScalarOne{T}"/>).</summary>
    static abstract T Apply<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T>;
}

internal readonly struct AddLanes : IBinaryLanes
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Apply<TOps, TV, T>(TV a, TV b) where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T> => TOps.Add(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Apply<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => a + b;
}

internal readonly struct SubLanes : IBinaryLanes
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Apply<TOps, TV, T>(TV a, TV b) where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T> => TOps.Sub(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Apply<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => a - b;
}

internal readonly struct MulLanes : IBinaryLanes
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Apply<TOps, TV, T>(TV a, TV b) where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T> => TOps.Mul(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Apply<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => a * b;
}

internal readonly struct DivLanes : IBinaryLanes
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Apply<TOps, TV, T>(TV a, TV b) where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T> => TOps.Div(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Apply<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => a / b;
}

internal readonly struct MaxLanes : IBinaryLanes
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Apply<TOps, TV, T>(TV a, TV b) where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T> => TOps.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Apply<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => T.Max(a, b);
}

internal readonly struct MinLanes : IBinaryLanes
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Apply<TOps, TV, T>(TV a, TV b) where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T> => TOps.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Apply<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => T.Min(a, b);
}

/// <summary>1 where a &gt; b, else 0.</summary>
internal readonly struct GreaterLanes : IBinaryLanes
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Apply<TOps, TV, T>(TV a, TV b) where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T> =>
        TOps.And(TOps.Gt(a, b), TOps.Splat(T.One));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Apply<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => a > b ? T.One : T.Zero;
}

/// <summary>1 where a &lt; b, else 0.</summary>
internal readonly struct LessLanes : IBinaryLanes
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Apply<TOps, TV, T>(TV a, TV b) where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T> =>
        TOps.And(TOps.Lt(a, b), TOps.Splat(T.One));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Apply<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => a < b ? T.One : T.Zero;
}

/// <summary>1 where a = b, else 0.</summary>
internal readonly struct EqualLanes : IBinaryLanes
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Apply<TOps, TV, T>(TV a, TV b) where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T> =>
        TOps.And(TOps.Eq(a, b), TOps.Splat(T.One));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Apply<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => a == b ? T.One : T.Zero;
}
