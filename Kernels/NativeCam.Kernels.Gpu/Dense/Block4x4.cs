using System.Runtime.CompilerServices;
using ILGPU;
using NativeCam.Kernels.Gpu.Kernels;

namespace NativeCam.Kernels.Gpu.Dense;

/// <summary>
/// A thread's 4×4 register block of the tiled GEMM: c[i, j] accumulates rows r + R·i and columns c + R·j (R the group's row threads) of the
/// group's tile. Written out element by element (ILGPU keeps scalar fields of a local struct in registers).
/// </summary>
internal struct Block4x4<T, TOps> where T : unmanaged where TOps : struct, IFloatOps<T>
{
    private T _00, _01, _02, _03, _10, _11, _12, _13, _20, _21, _22, _23, _30, _31, _32, _33;

    /// <summary>Sets every accumulator to 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Clear()
    {
        T z = default(TOps).Zero;
        _00 = z; _01 = z; _02 = z; _03 = z; _10 = z; _11 = z; _12 = z; _13 = z;
        _20 = z; _21 = z; _22 = z; _23 = z; _30 = z; _31 = z; _32 = z; _33 = z;
    }

    /// <summary>One k step: the outer product of a[ia + R·i] and b[ib + R·j] added to the block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Step(TOps o, ArrayView<T> a, ArrayView<T> b, int ia, int ib, int R)
    {
        T a0 = a[ia], a1 = a[ia + R], a2 = a[ia + 2 * R], a3 = a[ia + 3 * R];
        T b0 = b[ib], b1 = b[ib + R], b2 = b[ib + 2 * R], b3 = b[ib + 3 * R];
        _00 = o.MulAdd(a0, b0, _00); _01 = o.MulAdd(a0, b1, _01); _02 = o.MulAdd(a0, b2, _02); _03 = o.MulAdd(a0, b3, _03);
        _10 = o.MulAdd(a1, b0, _10); _11 = o.MulAdd(a1, b1, _11); _12 = o.MulAdd(a1, b2, _12); _13 = o.MulAdd(a1, b3, _13);
        _20 = o.MulAdd(a2, b0, _20); _21 = o.MulAdd(a2, b1, _21); _22 = o.MulAdd(a2, b2, _22); _23 = o.MulAdd(a2, b3, _23);
        _30 = o.MulAdd(a3, b0, _30); _31 = o.MulAdd(a3, b1, _31); _32 = o.MulAdd(a3, b2, _32); _33 = o.MulAdd(a3, b3, _33);
    }

    /// <summary>Hands every in-range element to the problem's epilogue.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store<TProblem>(TProblem p, int b, int r, int c, int R, int M, int N) where TProblem : struct, IGemmProblem<T>
    {
        Row(p, b, r, c, R, M, N, _00, _01, _02, _03);
        Row(p, b, r + R, c, R, M, N, _10, _11, _12, _13);
        Row(p, b, r + 2 * R, c, R, M, N, _20, _21, _22, _23);
        Row(p, b, r + 3 * R, c, R, M, N, _30, _31, _32, _33);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row<TProblem>(TProblem p, int b, int m, int c, int R, int M, int N, T v0, T v1, T v2, T v3)
        where TProblem : struct, IGemmProblem<T>
    {
        if (m >= M) return;
        if (c < N) p.Store(b, m, c, v0);
        if (c + R < N) p.Store(b, m, c + R, v1);
        if (c + 2 * R < N) p.Store(b, m, c + 2 * R, v2);
        if (c + 3 * R < N) p.Store(b, m, c + 3 * R, v3);
    }
}
