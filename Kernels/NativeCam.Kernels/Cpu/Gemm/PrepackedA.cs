using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NativeCam.Kernels.Cpu.Gemm;

/// <summary>
/// A constant A (a layer's weights; one per batch item for Winograd's 16 products) packed once into the
/// micro-kernel's panels for the whole matrix: K block pc (KC columns from pc) holds ⌈M/MR⌉ panels of MR rows in
/// <see cref="Packing.PackA{T}"/>'s layout, from pc·⌈M/MR⌉·MR on. The driver then reads A's panels in order, one
/// stream, instead of packing them (or reading MR rows in place) on every call. A network's weights come from DRAM on
/// every pass: in place, the six row streams of a weight block are what the prefetcher follows badly (ResNet-50's 1×1
/// convolutions on 7×7 maps ran at about 60% of their speed with cached weights); packed, the panels stream. The
/// packed copy lives as long as the weights' array.
/// </summary>
internal static unsafe class PrepackedA
{
    private static readonly ConditionalWeakTable<object, ConcurrentDictionary<(int M, int K, nint Lda, bool TransA, int MR, int KC, int Items, long Stride), object>> Cache = new();

    /// <summary>
    /// The packed panels of op(A) for each of <paramref name="items"/> matrices A_b at b·<paramref name="stride"/> of
    /// <paramref name="a"/> ([M, K]; A(i, k) = a[i·lda + k], or a[k·lda + i] transposed), for micro-kernels of
    /// <paramref name="mr"/> rows and K blocks of <paramref name="kc"/>: item b's panels from b·<see cref="PaddedRows"/>·K.
    /// </summary>
    public static T* Get<T>(T[] a, int m, int k, nint lda, bool transA, int mr, int kc, int items = 1, long stride = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long last = (long)(items - 1) * stride + (transA ? (long)(k - 1) * lda + m : (long)(m - 1) * lda + k);
        if (m <= 0 || k <= 0 || items <= 0 || last > a.Length)
            throw new ArgumentException($"gemm: a constant A of {a.Length} elements cannot hold {items} × {m}×{k} with leading dimension {lda}");
        var forArray = Cache.GetValue(a, static _ => new());
        var packed = (T[])forArray.GetOrAdd((m, k, lda, transA, mr, kc, items, stride),
            static (key, a) => Pack((T[])a, key.M, key.K, key.Lda, key.TransA, key.MR, key.KC, key.Items, key.Stride), a);
        return (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(packed)); // pinned at allocation
    }

    /// <summary>Rows of one K block in the packed layout (M rounded up to whole panels).</summary>
    public static int PaddedRows(int m, int mr) => (m + mr - 1) / mr * mr;

    private static T[] Pack<T>(T[] a, int m, int k, nint lda, bool transA, int mr, int kc, int items, long stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = PaddedRows(m, mr);
        long perItem = (long)rows * k;
        var packed = GC.AllocateUninitializedArray<T>(checked((int)(perItem * items)), pinned: true);
        fixed (T* pa = a, pp = packed)
            for (int b = 0; b < items; b++)
                for (int pc = 0; pc < k; pc += kc)
                    Packing.PackA(pa + b * stride, lda, transA, 0, m, pc, Math.Min(kc, k - pc), mr, pp + b * perItem + (long)pc * rows);
        return packed;
    }
}
