using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NativeCam.Kernels.Cpu.Elementwise;

namespace NativeCam.Kernels.Cpu;

public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void Gate(IBuffer gate, IBuffer t, IBuffer result, double lo, double hi, IBuffer? t2 = null, IBuffer? result2 = null)
    {
        switch (KernelChecks.Gate(gate, t, result, lo, hi, t2, result2))
        {
            case DType.Float32:
                GateT(Arr<float>(gate), Arr<float>(t), Arr<float>(result), t2 is null ? null : Arr<float>(t2), result2 is null ? null : Arr<float>(result2), (int)t.Length, lo, hi);
                break;
            default:
                GateT(Arr<double>(gate), Arr<double>(t), Arr<double>(result), t2 is null ? null : Arr<double>(t2), result2 is null ? null : Arr<double>(result2), (int)t.Length, lo, hi);
                break;
        }
    }

    // the pass condition: lo < g, and g < hi unless hi is +∞ (ReLU: g > 0, as the 0/1 masks GreaterScalar and InRange)
    private void GateT<T>(T[] g, T[] t, T[] r, T[]? t2, T[]? r2, int n, double lo, double hi) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T l = T.CreateChecked(lo), h = T.CreateChecked(hi);
        bool bounded = !double.IsPositiveInfinity(hi);
        if (Simd == SimdLevel.Scalar)
        {
            Chunked(n, (s, c) =>
            {
                for (int i = s; i < s + c; i++)
                {
                    bool pass = g[i] > l && (!bounded || g[i] < h);
                    r[i] = pass ? t[i] : T.Zero;
                    if (t2 is not null) r2![i] = pass ? t2[i] : T.Zero;
                }
            });
            return;
        }
        if (typeof(T) == typeof(float))
        {
            var (gf, tf, rf, tf2, rf2) = ((float[])(object)g, (float[])(object)t, (float[])(object)r, (float[]?)(object?)t2, (float[]?)(object?)r2);
            float lf = (float)(object)l, hf = (float)(object)h;
            if (Use512) Chunked(n, (s, c) => GateVec<V512F, Vector512<float>, float>(gf, tf, rf, s, c, lf, hf, bounded, tf2, rf2));
            else Chunked(n, (s, c) => GateVec<V256F, Vector256<float>, float>(gf, tf, rf, s, c, lf, hf, bounded, tf2, rf2));
        }
        else
        {
            var (gd, td, rd, td2, rd2) = ((double[])(object)g, (double[])(object)t, (double[])(object)r, (double[]?)(object?)t2, (double[]?)(object?)r2);
            double ld = (double)(object)l, hd = (double)(object)h;
            if (Use512) Chunked(n, (s, c) => GateVec<V512D, Vector512<double>, double>(gd, td, rd, s, c, ld, hd, bounded, td2, rd2));
            else Chunked(n, (s, c) => GateVec<V256D, Vector256<double>, double>(gd, td, rd, s, c, ld, hd, bounded, td2, rd2));
        }
    }

    /// <summary>r[s..s+n) = the gated t (and r2 the gated t2); the ragged tail through zero-padded vectors (a zero gate
    /// passes nothing unless lo &lt; 0, and the padded lanes are never stored).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GateVec<TOps, TV, T>(T[] g, T[] t, T[] r, int s, int n, T lo, T hi, bool bounded, T[]? t2, T[]? r2)
        where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = TOps.Count, i = 0;
        TV vl = TOps.Splat(lo), vh = TOps.Splat(hi), zero = TOps.Splat(T.Zero);
        ref T gr = ref MemoryMarshal.GetArrayDataReference(g);
        ref T tr = ref MemoryMarshal.GetArrayDataReference(t);
        ref T rr = ref MemoryMarshal.GetArrayDataReference(r);
        if (t2 is null)
            for (; i <= n - w; i += w)
                TOps.Store(TOps.Select(Pass<TOps, TV, T>(TOps.Load(ref gr, (nuint)(s + i)), vl, vh, bounded), TOps.Load(ref tr, (nuint)(s + i)), zero), ref rr, (nuint)(s + i));
        else
        {
            ref T tr2 = ref MemoryMarshal.GetArrayDataReference(t2);
            ref T rr2 = ref MemoryMarshal.GetArrayDataReference(r2!);
            for (; i <= n - w; i += w)
            {
                var pass = Pass<TOps, TV, T>(TOps.Load(ref gr, (nuint)(s + i)), vl, vh, bounded);
                TOps.Store(TOps.Select(pass, TOps.Load(ref tr, (nuint)(s + i)), zero), ref rr, (nuint)(s + i));
                TOps.Store(TOps.Select(pass, TOps.Load(ref tr2, (nuint)(s + i)), zero), ref rr2, (nuint)(s + i));
            }
        }
        if (i < n)
        {
            Span<T> tmp = stackalloc T[3 * w];
            tmp.Clear();
            g.AsSpan(s + i, n - i).CopyTo(tmp);
            t.AsSpan(s + i, n - i).CopyTo(tmp[w..]);
            t2?.AsSpan(s + i, n - i).CopyTo(tmp[(2 * w)..]);
            ref T pr = ref MemoryMarshal.GetReference(tmp);
            var pass = Pass<TOps, TV, T>(TOps.Load(ref pr, 0), vl, vh, bounded);
            TOps.Store(TOps.Select(pass, TOps.Load(ref pr, (nuint)w), zero), ref pr, (nuint)w);
            TOps.Store(TOps.Select(pass, TOps.Load(ref pr, (nuint)(2 * w)), zero), ref pr, (nuint)(2 * w));
            tmp.Slice(w, n - i).CopyTo(r.AsSpan(s + i));
            if (t2 is not null) tmp.Slice(2 * w, n - i).CopyTo(r2!.AsSpan(s + i));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Pass<TOps, TV, T>(TV g, TV lo, TV hi, bool bounded)
        where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        TV pass = TOps.Gt(g, lo);
        return bounded ? TOps.And(pass, TOps.Lt(g, hi)) : pass;
    }
}
