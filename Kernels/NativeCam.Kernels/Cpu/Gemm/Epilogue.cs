using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NativeCam.Kernels.Cpu.Gemm;

/// <summary>How <see cref="Epilogue{T}"/> maps a value.</summary>
internal enum EpilogueKind : byte
{
    /// <summary>v.</summary>
    None,
    /// <summary>min(max(v, Lo), Hi) (ReLU is Lo = 0, Hi = +∞).</summary>
    Clamp,
    /// <summary>v &lt; 0 ? Alpha·v : v.</summary>
    LeakyRelu,
    /// <summary>v·max(0, min(1, v/6 + 1/2)).</summary>
    HardSwish,
    /// <summary>v / (1 + e^(−v)).</summary>
    Silu,
}

/// <summary>
/// The activation of a fused convolution epilogue, for scalars and both vector widths. Each formula is written
/// exactly as the matching <see cref="UnaryKind"/> is on the same path, so a fused conv gives the values of a conv
/// followed by that unary op. Clamps (ReLU, clip) run inside the kernels' stores; the others
/// (<see cref="IsPost"/>) run by <see cref="ApplyInPlace"/> over each finished block while it is still in L1: their
/// code (a call to exp for SiLU) inside a micro-kernel would make the JIT spill the accumulators.
/// </summary>
internal readonly struct Epilogue<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public readonly EpilogueKind Kind;
    public readonly T Lo, Hi, Alpha;

    public Epilogue(EpilogueKind kind, T lo, T hi, T alpha) { Kind = kind; Lo = lo; Hi = hi; Alpha = alpha; }

    /// <summary>True for a clamp done in the store.</summary>
    public bool Clamps => Kind == EpilogueKind.Clamp;

    /// <summary>True for an activation applied in place after the store.</summary>
    public bool IsPost => Kind > EpilogueKind.Clamp;

    /// <summary>p[0..n) = act(p[0..n)) on the vector path of <paramref name="simd"/> (the ragged tail through a
    /// padded vector, so every element takes the same path).</summary>
    public unsafe void ApplyInPlace(SimdLevel simd, T* p, int n) => ApplyTile(simd, p, 0, 1, n);

    /// <summary>act over rows × cols elements at p with row stride ld, in one call: a GEMM applies it to each
    /// finished panel of C. The kind is chosen once per call and each kind has its own loop, so the formula is
    /// inlined (a call per tile row or per vector would cost more than the activation itself).</summary>
    public unsafe void ApplyTile(SimdLevel simd, T* p, nint ld, int rows, int cols)
    {
        switch (Kind)
        {
            case EpilogueKind.None: return;
            case EpilogueKind.Clamp: EpilogueLoops<T, ClampPost<T>>.Tile(simd, this, p, ld, rows, cols); return;
            case EpilogueKind.LeakyRelu: EpilogueLoops<T, LeakyPost<T>>.Tile(simd, this, p, ld, rows, cols); return;
            case EpilogueKind.HardSwish: EpilogueLoops<T, HardSwishPost<T>>.Tile(simd, this, p, ld, rows, cols); return;
            default: EpilogueLoops<T, SiluPost<T>>.Tile(simd, this, p, ld, rows, cols); return;
        }
    }

    /// <summary>The epilogue of a convolution's fused activation.</summary>
    public static Epilogue<T> Of(in Conv2dParams p) => p.Activation switch
    {
        FusedActivation.None => default,
        FusedActivation.Relu => new(EpilogueKind.Clamp, T.Zero, T.PositiveInfinity, T.Zero),
        FusedActivation.Clip => new(EpilogueKind.Clamp, T.CreateChecked(p.ActivationMin), T.CreateChecked(p.ActivationMax), T.Zero),
        FusedActivation.LeakyRelu => new(EpilogueKind.LeakyRelu, T.Zero, T.Zero, T.CreateChecked(p.ActivationAlpha)),
        FusedActivation.HardSwish => new(EpilogueKind.HardSwish, T.Zero, T.Zero, T.Zero),
        FusedActivation.Silu => new(EpilogueKind.Silu, T.Zero, T.Zero, T.Zero),
        _ => throw new ArgumentOutOfRangeException(nameof(p), p.Activation, "unknown fused activation"),
    };

    /// <summary>The activation of one value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Apply(T v) => Kind switch
    {
        EpilogueKind.None => v,
        EpilogueKind.Clamp => ClampPost<T>.Of(v, this),
        EpilogueKind.LeakyRelu => LeakyPost<T>.Of(v, this),
        EpilogueKind.HardSwish => HardSwishPost<T>.Of(v, this),
        _ => SiluPost<T>.Of(v, this),
    };

    /// <summary>The activation of a 256-bit vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Apply(Vector256<T> v) => Kind switch
    {
        EpilogueKind.None => v,
        EpilogueKind.Clamp => ClampPost<T>.Of(v, this),
        EpilogueKind.LeakyRelu => LeakyPost<T>.Of(v, this),
        EpilogueKind.HardSwish => HardSwishPost<T>.Of(v, this),
        _ => SiluPost<T>.Of(v, this),
    };

    /// <summary>The activation of a 512-bit vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Apply(Vector512<T> v) => Kind switch
    {
        EpilogueKind.None => v,
        EpilogueKind.Clamp => ClampPost<T>.Of(v, this),
        EpilogueKind.LeakyRelu => LeakyPost<T>.Of(v, this),
        EpilogueKind.HardSwish => HardSwishPost<T>.Of(v, this),
        _ => SiluPost<T>.Of(v, this),
    };
}
