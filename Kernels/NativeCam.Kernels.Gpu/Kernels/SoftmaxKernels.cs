using ILGPU;

namespace NativeCam.Kernels.Gpu.Kernels;

/// <summary>
/// Softmax family over the middle axis of [Outer, Axis, Inner], numerically stable and with the CPU kernels' rules:
/// m = max over the axis (NaN ignored), c = m (0 when m = −∞), l = log Σ exp(x − c); logsumexp = c + l, softmax =
/// exp(x − c)·(1/Σ exp(x − c)), log-softmax = (x − c) − l, or −∞ throughout when l = −∞. Every exp argument is
/// ≤ 0, so large inputs never overflow; an all −∞ column gives softmax NaN, log-softmax and logsumexp −∞.
/// mode: 0 softmax, 1 log-softmax, 2 logsumexp.
/// </summary>
internal static class SoftmaxKernels
{
    /// <summary>One thread per column (o, i) (grid-stride): three passes down the axis, coalesced across i.</summary>
    public static void PerColumn<T, TOps>(ArrayView<T> x, ArrayView<T> y, int columns, int axis, int inner, int mode)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        for (int j = GridStride.Start; j < columns; j += GridStride.Step) Column<T, TOps>(j, x, y, axis, inner, mode);
    }

    private static void Column<T, TOps>(int j, ArrayView<T> x, ArrayView<T> y, int axis, int inner, int mode)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var ops = default(TOps);
        int o = j / inner, i = j - o * inner;
        int start = o * axis * inner + i;
        T m = ops.From(double.NegativeInfinity);
        for (int a = 0, at = start; a < axis; a++, at += inner)
        {
            T v = x[at];
            if (ops.Gt(v, m)) m = v;
        }
        T c = Shift<T, TOps>(m);
        T sum = ops.From(0);
        for (int a = 0, at = start; a < axis; a++, at += inner)
        {
            T e = ops.Exp(ops.Sub(x[at], c));
            if (mode == 0) y[at] = e;
            sum = ops.Add(sum, e);
        }
        Finish<T, TOps>(x, y, mode, start, inner, axis, c, sum, j);
    }

    /// <summary>One thread group per row (Inner = 1, long axes; groups stride over the rows): strided partial max and sum per thread, combined by
    /// <see cref="GroupTree"/> (deterministic), then every thread writes its share of the row.</summary>
    public static void PerRow<T, TOps>(ArrayView<T> x, ArrayView<T> y, int rows, int axis, int mode)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var shared = SharedMemory.Allocate<T>(GroupTree.MaxSize);
        for (int o = Grid.IdxX; o < rows; o += Grid.DimX) Row<T, TOps>(o, shared, x, y, axis, mode);
    }

    private static void Row<T, TOps>(int o, ArrayView<T> shared, ArrayView<T> x, ArrayView<T> y, int axis, int mode)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var ops = default(TOps);
        int t = Group.IdxX;
        int start = o * axis;
        T m = ops.From(double.NegativeInfinity);
        for (int a = t; a < axis; a += Group.DimX)
        {
            T v = x[start + a];
            if (ops.Gt(v, m)) m = v;
        }
        T c = Shift<T, TOps>(GroupTree.Max<T, TOps>(m, shared));
        T sum = ops.From(0);
        for (int a = t; a < axis; a += Group.DimX)
        {
            T e = ops.Exp(ops.Sub(x[start + a], c));
            if (mode == 0) y[start + a] = e;
            sum = ops.Add(sum, e);
        }
        sum = GroupTree.Sum<T, TOps>(sum, shared);
        if (mode == 2 && t != 0) return;
        Finish<T, TOps>(x, y, mode, start + t, Group.DimX, (axis - t + Group.DimX - 1) / Group.DimX, c, sum, o);
    }

    /// <summary>c = m, or 0 when m = −∞ (an all −∞ column), so x − c stays −∞ rather than NaN.</summary>
    private static T Shift<T, TOps>(T m) where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var ops = default(TOps);
        return ops.Eq(m, ops.From(double.NegativeInfinity)) ? ops.From(0) : m;
    }

    /// <summary>Writes the result for the n elements start, start + step, … given c and Σ exp(x − c); logsumexp
    /// writes y[lse] once.</summary>
    private static void Finish<T, TOps>(ArrayView<T> x, ArrayView<T> y, int mode, int start, int step, int n, T c, T sum,
        int lse) where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var ops = default(TOps);
        if (mode == 0)
        {
            T r = ops.Div(ops.From(1), sum);
            for (int k = 0, at = start; k < n; k++, at += step) y[at] = ops.Mul(y[at], r);
            return;
        }
        T l = ops.Log(sum);
        if (mode == 2) { y[lse] = ops.Add(c, l); return; }
        bool allNegInf = ops.Eq(l, ops.From(double.NegativeInfinity));
        for (int k = 0, at = start; k < n; k++, at += step)
            y[at] = allNegInf ? l : ops.Sub(ops.Sub(x[at], c), l);
    }
}
