using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeCam.Kernels.Cpu.Gemm;

/// <summary>
/// How a micro-kernel writes its MR×NR accumulator tile: c = clamp(alpha·acc (+ beta·c when <see cref="ReadC"/>)
/// (+ bias[row]) (+ the residual element at c + <see cref="Residual"/>)). Bias, residual and clamp are set only
/// for the last K block of a tile.
/// </summary>
internal unsafe struct TileStore<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Scale of the product.</summary>
    public T Alpha;
    /// <summary>Scale of the previous C (used when <see cref="ReadC"/>).</summary>
    public T Beta;
    /// <summary>Whether C is read (false: C is overwritten and may hold garbage).</summary>
    public bool ReadC;
    /// <summary>Per-row bias of this tile (row i adds Bias[i]), or null.</summary>
    public T* Bias;
    /// <summary>Whether a residual is added: the element at c + <see cref="Residual"/> (the residual buffer is shaped
    /// like C, so one offset serves every tile).</summary>
    public bool HasResidual;
    /// <summary>Offset in elements from C to the residual.</summary>
    public nint Residual;
    /// <summary>Whether to clamp to [Lo, Hi] (only for the last K block; other activations run after the store).</summary>
    public bool Clamp;
    /// <summary>Clamp bounds.</summary>
    public T Lo, Hi;
    /// <summary>Whether <see cref="Post"/> maps each stored vector (full tiles of the last K block only: edge tiles
    /// take the activation after their scalar store, through <see cref="Epilogue{T}.ApplyTile"/>).</summary>
    public bool HasPost;
    /// <summary>An activation other than a clamp, applied in registers right before the store (a separate pass
    /// over the stored tile costs several times more).</summary>
    public Epilogue<T> Post;

    /// <summary>Raw store: c = acc (used for edge tiles that go through a scratch tile).</summary>
    public static TileStore<T> Raw => new() { Alpha = T.One };

    /// <summary>Applies the store rule to one element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly T Apply(T acc, T* c, int row)
    {
        T v = Alpha * acc;
        if (ReadC) v += Beta * *c;
        if (Bias != null) v += Bias[row];
        if (HasResidual) v += c[Residual];
        if (Clamp) v = T.Min(T.Max(v, Lo), Hi);
        return v;
    }

    /// <summary>Stores one 256-bit vector of row <paramref name="row"/> at <paramref name="c"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store(Vector256<T> acc, T* c, int row)
    {
        Vector256<T> v = acc * Vector256.Create(Alpha);
        if (ReadC) v = SimdOps.Fma(Vector256.Load(c), Vector256.Create(Beta), v);
        if (Bias != null) v += Vector256.Create(Bias[row]);
        if (HasResidual) v += Vector256.Load(c + Residual);
        if (Clamp) v = Vector256.MinNative(Vector256.MaxNative(v, Vector256.Create(Lo)), Vector256.Create(Hi));
        if (HasPost) v = Post.Apply(v);
        Vector256.Store(v, c);
    }

    /// <summary>Stores one 512-bit vector of row <paramref name="row"/> at <paramref name="c"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store(Vector512<T> acc, T* c, int row)
    {
        Vector512<T> v = acc * Vector512.Create(Alpha);
        if (ReadC) v = SimdOps.Fma(Vector512.Load(c), Vector512.Create(Beta), v);
        if (Bias != null) v += Vector512.Create(Bias[row]);
        if (HasResidual) v += Vector512.Load(c + Residual);
        if (Clamp) v = Vector512.MinNative(Vector512.MaxNative(v, Vector512.Create(Lo)), Vector512.Create(Hi));
        if (HasPost) v = Post.Apply(v);
        Vector512.Store(v, c);
    }
    /// <summary>Prefetches the C tile that the store will read, so the loads overlap the k loop instead of
    /// stalling after it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PrefetchRows(T* c, nint ldc, int rows, int cols)
    {
        if (!Sse.IsSupported) return;
        for (int i = 0; i < rows; i++, c += ldc)
        {
            Sse.Prefetch0(c);
            Sse.Prefetch0(c + cols - 1);
        }
    }
}
