using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NativeCam.Kernels.Cpu.Elementwise;

namespace NativeCam.Kernels.Cpu;

public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void ProductWithTangent(BroadcastParams p, IBuffer a, IBuffer b, IBuffer? da, IBuffer? db, IBuffer y, IBuffer dy)
    {
        var dtype = KernelChecks.ProductWithTangent(p, a, b, da, db, y, dy);
        var plan = StridePlan.Create(p.OutShape, StridePlan.Long(p.StridesA), StridePlan.Long(p.StridesB), Shapes.Strides(p.OutShape));
        CheckReach(plan, 0, a.Length, "a"); CheckReach(plan, 1, b.Length, "b");
        if (dtype == DType.Float32) ProductWithTangentT<float>(plan, a, b, da, db, y, dy);
        else ProductWithTangentT<double>(plan, a, b, da, db, y, dy);
    }

    private void ProductWithTangentT<T>(StridePlan plan, IBuffer ab, IBuffer bb, IBuffer? dab, IBuffer? dbb, IBuffer yb, IBuffer dyb)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // an absent tangent reads as its (unused) primal: the flags keep it out of the sum
        T[] a = Arr<T>(ab), b = Arr<T>(bb), y = Arr<T>(yb), dy = Arr<T>(dyb);
        var o = new ProductOperands<T>(a, b, dab is null ? a : Arr<T>(dab), dbb is null ? b : Arr<T>(dbb), y, dy, dab is not null, dbb is not null);
        bool vec = Simd != SimdLevel.Scalar;
        if (typeof(T) == typeof(float))
        {
            var of = (ProductOperands<float>)(object)o;
            if (Use512) Chunked(plan.Length, (s, n) => ProductRange<V512F, Vector512<float>, float>(plan, of, s, n, vec));
            else Chunked(plan.Length, (s, n) => ProductRange<V256F, Vector256<float>, float>(plan, of, s, n, vec));
        }
        else
        {
            var od = (ProductOperands<double>)(object)o;
            if (Use512) Chunked(plan.Length, (s, n) => ProductRange<V512D, Vector512<double>, double>(plan, od, s, n, vec));
            else Chunked(plan.Length, (s, n) => ProductRange<V256D, Vector256<double>, double>(plan, od, s, n, vec));
        }
    }

    private readonly record struct ProductOperands<T>(T[] A, T[] B, T[] DA, T[] DB, T[] Y, T[] DY, bool HasDA, bool HasDB);

    /// <summary>Output positions [start, start+count): y = a·b, dy = da·b + a·db over the inner runs of the collapsed
    /// plan, by SIMD where a and b are contiguous or constant along a run (a squeeze-excitation's per-channel scale),
    /// else element by element; the same roundings either way (no fused multiply-add).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ProductRange<TOps, TV, T>(StridePlan p, ProductOperands<T> o, long start, long count, bool vec)
        where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<int> idx = stackalloc int[p.Rank];
        Span<long> off = stackalloc long[3];
        p.Seek(start, idx, off);
        long sa = p.Strides[0][^1], sb = p.Strides[1][^1];
        int inner = p.Inner;
        vec &= sa is 0 or 1 && sb is 0 or 1;
        var (a, b, da, db, y, dy) = (o.A, o.B, o.DA, o.DB, o.Y, o.DY);
        bool both = o.HasDA && o.HasDB, onlyA = !o.HasDB;
        for (long done = 0; done < count;)
        {
            int len = (int)Math.Min(inner - idx[^1], count - done);
            int ia = (int)off[0], ib = (int)off[1], iy = (int)off[2], i = 0;
            if (vec)
            {
                ref T ar = ref a[ia]; ref T br = ref b[ib]; ref T dar = ref da[ia]; ref T dbr = ref db[ib];
                ref T yr = ref y[iy]; ref T dyr = ref dy[iy];
                TV ka = TOps.Splat(ar), kb = TOps.Splat(br), kda = TOps.Splat(dar), kdb = TOps.Splat(dbr);
                for (int w = TOps.Count; i <= len - w; i += w)
                {
                    TV va = sa == 1 ? TOps.Load(ref ar, (nuint)i) : ka, vb = sb == 1 ? TOps.Load(ref br, (nuint)i) : kb;
                    TOps.Store(TOps.Mul(va, vb), ref yr, (nuint)i);
                    TV t = both ? TOps.Add(TOps.Mul(sa == 1 ? TOps.Load(ref dar, (nuint)i) : kda, vb), TOps.Mul(va, sb == 1 ? TOps.Load(ref dbr, (nuint)i) : kdb))
                        : onlyA ? TOps.Mul(sa == 1 ? TOps.Load(ref dar, (nuint)i) : kda, vb)
                        : TOps.Mul(va, sb == 1 ? TOps.Load(ref dbr, (nuint)i) : kdb);
                    TOps.Store(t, ref dyr, (nuint)i);
                }
            }
            for (; i < len; i++)
            {
                T av = a[ia + i * sa], bv = b[ib + i * sb];
                y[iy + i] = av * bv;
                dy[iy + i] = both ? da[ia + i * sa] * bv + av * db[ib + i * sb] : onlyA ? da[ia + i * sa] * bv : av * db[ib + i * sb];
            }
            done += len; idx[^1] += len;
            off[0] += sa * len; off[1] += sb * len; off[2] += len;
            if (idx[^1] == inner && done < count) p.NextRow(idx, off);
        }
    }
}
