using System.Numerics;
using System.Runtime.CompilerServices;
using NativeCam.Kernels.Cpu.Pooling;
using NativeCam.Kernels.Cpu.Softmax;

namespace NativeCam.Kernels.Cpu;

// Softmax family over the middle axis of [Outer, Axis, Inner], numerically stable: with m = max over the axis and
// c = m (or 0 when m = −∞) and l = log Σ exp(x − c): logsumexp = c + l, softmax = exp(x − c) / Σ exp(x − c),
// log-softmax = (x − c) − l (x − c first: exact for x near c, so large inputs keep full relative accuracy).
// Every exp argument is ≤ 0 and the sum is ≥ 1 for finite rows, so ±1000 inputs neither overflow nor give NaN.
// Rows whose elements are all −∞ give: softmax NaN (0/0), log-softmax −∞, logsumexp −∞. A NaN anywhere in a row
// makes the whole row NaN; a +∞ input gives NaN for that row. Inner = 1 vectorises along the (contiguous) axis;
// Inner > 1 vectorises across inner columns, each column keeping its own running max and sum.
public sealed partial class CpuKernels
{
    private enum SoftmaxMode { Softmax, LogSoftmax, LogSumExp }

    /// <inheritdoc/>
    /// <remarks>An all −∞ row gives NaN.</remarks>
    public void Softmax(AxisParams p, IBuffer x, IBuffer y) => SoftmaxFamily(p, x, y, SoftmaxMode.Softmax);

    /// <inheritdoc/>
    /// <remarks>An all −∞ row gives −∞.</remarks>
    public void LogSoftmax(AxisParams p, IBuffer x, IBuffer y) => SoftmaxFamily(p, x, y, SoftmaxMode.LogSoftmax);

    /// <inheritdoc/>
    /// <remarks>An all −∞ (or empty) row gives −∞.</remarks>
    public void LogSumExp(AxisParams p, IBuffer x, IBuffer y) => SoftmaxFamily(p, x, y, SoftmaxMode.LogSumExp);

    private void SoftmaxFamily(AxisParams p, IBuffer x, IBuffer y, SoftmaxMode mode)
    {
        if (p.Outer < 0 || p.Axis < 0 || p.Inner < 0) throw new ArgumentException($"{mode}: invalid {p}");
        long xl = (long)p.Outer * p.Axis * p.Inner, yl = mode == SoftmaxMode.LogSumExp ? (long)p.Outer * p.Inner : xl;
        if (x.Length != xl) throw new ArgumentException($"{mode}: input has {x.Length} elements, {p} needs {xl}");
        if (y.Length != yl) throw new ArgumentException($"{mode}: output has {y.Length} elements, expected {yl}");
        if (FloatType(x, y) == DType.Float32) SoftmaxCore(p, KernelArrays.Of<float>(this, x), KernelArrays.Of<float>(this, y), mode);
        else SoftmaxCore(p, KernelArrays.Of<double>(this, x), KernelArrays.Of<double>(this, y), mode);
    }

    private void SoftmaxCore<T>(AxisParams p, T[] x, T[] y, SoftmaxMode mode) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = Simd;
        int A = p.Axis, I = p.Inner;
        long work = 16L * p.Outer * A * I;
        if (I == 1)
        {
            ParallelFor(p.Outer, work, o => SoftmaxRow(s, x, y, o, A, mode));
            return;
        }
        // column blocks of a slab small enough to stay in cache across the three passes, and enough items for the threads
        int size = Unsafe.SizeOf<T>();
        int block = Math.Clamp(256 * 1024 / Math.Max(1, A * size), 16, Math.Max(16, I));
        if (p.Outer < 2 * Threads) block = Math.Min(block, Math.Max(16, (I + 2 * Threads - 1) / (2 * Threads)));
        block = Math.Min(block, I);
        int blocks = (I + block - 1) / block;
        ParallelFor(p.Outer * blocks, work, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (it) =>
        {
            int o = it / blocks, i0 = it % blocks * block;
            SoftmaxSlab(s, x, y, p, o, i0, Math.Min(block, I - i0), mode);
        });
    }

    /// <summary>One contiguous row (Inner = 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SoftmaxRow<T>(SimdLevel s, T[] x, T[] y, int o, int A, SoftmaxMode mode) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> xr = x.AsSpan(o * A, A);
        T m = SoftmaxRows.Max(s, xr);
        T c = T.IsNegativeInfinity(m) ? T.Zero : m;
        if (mode == SoftmaxMode.Softmax)
        {
            var yr = y.AsSpan(o * A, A);
            T sum = SoftmaxRows.ExpSum(s, xr, yr, c, true);
            SoftmaxRows.Scale(s, yr, T.One / sum);
            return;
        }
        T l = T.Log(SoftmaxRows.ExpSum(s, xr, default, c, false));
        if (mode == SoftmaxMode.LogSumExp) y[o] = c + l;
        else SoftmaxRows.Sub(s, xr, y.AsSpan(o * A, A), c, l);
    }

    /// <summary>Columns [i0, i0 + n) of the [Axis, Inner] slab of outer index o.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SoftmaxSlab<T>(SimdLevel s, T[] x, T[] y, AxisParams p, int o, int i0, int n, SoftmaxMode mode)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int A = p.Axis, I = p.Inner;
        T[] cBuf = KernelArrays.Rent<T>(n), sumBuf = KernelArrays.Rent<T>(n);
        try
        {
            Span<T> c = cBuf.AsSpan(0, n), sum = sumBuf.AsSpan(0, n);
            c.Fill(T.NegativeInfinity);
            for (int a = 0; a < A; a++) SoftmaxRows.MaxLanes(s, c, x.AsSpan((o * A + a) * I + i0, n));
            for (int j = 0; j < n; j++) if (T.IsNegativeInfinity(c[j])) c[j] = T.Zero;
            sum.Clear();
            bool soft = mode == SoftmaxMode.Softmax;
            for (int a = 0; a < A; a++)
            {
                int at = (o * A + a) * I + i0;
                SoftmaxRows.ExpSumLanes(s, x.AsSpan(at, n), soft ? y.AsSpan(at, n) : default, c, sum, soft);
            }
            if (soft)
            {
                for (int j = 0; j < n; j++) sum[j] = T.One / sum[j];
                for (int a = 0; a < A; a++) SoftmaxRows.MulLanes(s, y.AsSpan((o * A + a) * I + i0, n), sum);
                return;
            }
            for (int j = 0; j < n; j++) sum[j] = T.Log(sum[j]); // sum now holds l = log Σ exp(x − c) per column
            if (mode == SoftmaxMode.LogSumExp)
                for (int j = 0; j < n; j++) y[o * I + i0 + j] = c[j] + sum[j];
            else
                for (int a = 0; a < A; a++)
                {
                    int at = (o * A + a) * I + i0;
                    SoftmaxRows.SubLanes(s, x.AsSpan(at, n), y.AsSpan(at, n), c, sum);
                }
        }
        finally
        {
            KernelArrays.Return(cBuf);
            KernelArrays.Return(sumBuf);
        }
    }
}
