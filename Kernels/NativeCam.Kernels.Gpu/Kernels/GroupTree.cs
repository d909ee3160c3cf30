using System.Runtime.CompilerServices;
using ILGPU;

namespace NativeCam.Kernels.Gpu.Kernels;

/// <summary>
/// Deterministic shared-memory tree reductions across one thread group (a power of two, at most
/// <see cref="MaxSize"/> threads): lane t adds lane t + s for s = Group.DimX/2, …, 1, so the summation order is fixed whatever the scheduling (ILGPU.Algorithms'
/// group reductions may combine through atomics on some accelerators, which makes float sums order-dependent).
/// </summary>
internal static class GroupTree
{
    /// <summary>Most threads per group of the grouped kernels (the shared arrays' length).</summary>
    public const int MaxSize = 256;

    /// <summary>Σ over the group of <paramref name="v"/>, returned to every thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum<T, TOps>(T v, ArrayView<T> shared) where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var o = default(TOps);
        int t = Group.IdxX;
        shared[t] = v;
        Group.Barrier();
        for (int s = Group.DimX / 2; s > 0; s >>= 1)
        {
            if (t < s) shared[t] = o.Add(shared[t], shared[t + s]);
            Group.Barrier();
        }
        T r = shared[0];
        Group.Barrier(); // shared may be reused right after
        return r;
    }

    /// <summary>Max over the group, NaN ignored (−∞ when every lane holds −∞ or NaN), returned to every thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Max<T, TOps>(T v, ArrayView<T> shared) where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var o = default(TOps);
        int t = Group.IdxX;
        shared[t] = v;
        Group.Barrier();
        for (int s = Group.DimX / 2; s > 0; s >>= 1)
        {
            if (t < s && o.Gt(shared[t + s], shared[t])) shared[t] = shared[t + s];
            Group.Barrier();
        }
        T r = shared[0];
        Group.Barrier();
        return r;
    }

    /// <summary>
    /// Does the candidate (v, at) replace the running extreme (acc, accAt) of a Max (or Min) reduction that keeps
    /// the first extreme? A NaN is the extreme; among equals, and among NaNs, the smaller flat index wins.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Takes<T, TOps>(bool max, T v, int at, T acc, int accAt) where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var o = default(TOps);
        bool nanV = o.IsNaN(v);
        if (o.IsNaN(acc)) return nanV && at < accAt;
        if (nanV) return true;
        if (max ? o.Gt(v, acc) : o.Lt(v, acc)) return true;
        return o.Eq(v, acc) && at < accAt;
    }
}
