using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NativeCam.Kernels.Cpu.Elementwise;

namespace NativeCam.Kernels.Cpu;

public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void Gate(IBuffer gate, IBuffer t, IBuffer result, double lo, double hi)
    {
        switch (KernelChecks.Gate(gate, t, result, lo, hi))
        {
            case DType.Float32: GateT(Arr<float>(gate), Arr<float>(t), Arr<float>(result), (int)t.Length, lo, hi); break;
            default: GateT(Arr<double>(gate), Arr<double>(t), Arr<double>(result), (int)t.Length, lo, hi); break;
        }
    }

    // the pass condition: lo < g, and g < hi unless hi is +∞ (ReLU: g > 0, as the 0/1 masks GreaterScalar and InRange)
    private void GateT<T>(T[] g, T[] t, T[] r, int n, double lo, double hi) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T l = T.CreateChecked(lo), h = T.CreateChecked(hi);
        bool bounded = !double.IsPositiveInfinity(hi);
        if (Simd == SimdLevel.Scalar)
        {
            Chunked(n, (s, c) =>
            {
                for (int i = s; i < s + c; i++) r[i] = g[i] > l && (!bounded || g[i] < h) ? t[i] : T.Zero;
            });
            return;
        }
        if (typeof(T) == typeof(float))
        {
            var (gf, tf, rf) = ((float[])(object)g, (float[])(object)t, (float[])(object)r);
            float lf = (float)(object)l, hf = (float)(object)h;
            if (Use512) Chunked(n, (s, c) => GateVec<V512F, Vector512<float>, float>(gf, tf, rf, s, c, lf, hf, bounded));
            else Chunked(n, (s, c) => GateVec<V256F, Vector256<float>, float>(gf, tf, rf, s, c, lf, hf, bounded));
        }
        else
        {
            var (gd, td, rd) = ((double[])(object)g, (double[])(object)t, (double[])(object)r);
            double ld = (double)(object)l, hd = (double)(object)h;
            if (Use512) Chunked(n, (s, c) => GateVec<V512D, Vector512<double>, double>(gd, td, rd, s, c, ld, hd, bounded));
            else Chunked(n, (s, c) => GateVec<V256D, Vector256<double>, double>(gd, td, rd, s, c, ld, hd, bounded));
        }
    }

    /// <summary>r[s..s+n) = the gated t; the ragged tail through one zero-padded vector (a zero gate passes nothing
    /// unless lo &lt; 0, and the padded lanes are never stored).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GateVec<TOps, TV, T>(T[] g, T[] t, T[] r, int s, int n, T lo, T hi, bool bounded)
        where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = TOps.Count, i = 0;
        TV vl = TOps.Splat(lo), vh = TOps.Splat(hi), zero = TOps.Splat(T.Zero);
        ref T gr = ref MemoryMarshal.GetArrayDataReference(g);
        ref T tr = ref MemoryMarshal.GetArrayDataReference(t);
        ref T rr = ref MemoryMarshal.GetArrayDataReference(r);
        for (; i <= n - w; i += w)
            TOps.Store(GateOne<TOps, TV, T>(TOps.Load(ref gr, (nuint)(s + i)), TOps.Load(ref tr, (nuint)(s + i)), vl, vh, zero, bounded), ref rr, (nuint)(s + i));
        if (i < n)
        {
            Span<T> gt = stackalloc T[2 * w];
            gt.Clear();
            g.AsSpan(s + i, n - i).CopyTo(gt);
            t.AsSpan(s + i, n - i).CopyTo(gt[w..]);
            ref T pr = ref MemoryMarshal.GetReference(gt);
            TOps.Store(GateOne<TOps, TV, T>(TOps.Load(ref pr, 0), TOps.Load(ref pr, (nuint)w), vl, vh, zero, bounded), ref pr, 0);
            gt[..(n - i)].CopyTo(r.AsSpan(s + i));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV GateOne<TOps, TV, T>(TV g, TV t, TV lo, TV hi, TV zero, bool bounded)
        where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        TV pass = TOps.Gt(g, lo);
        if (bounded) pass = TOps.And(pass, TOps.Lt(g, hi));
        return TOps.Select(pass, t, zero);
    }
}
