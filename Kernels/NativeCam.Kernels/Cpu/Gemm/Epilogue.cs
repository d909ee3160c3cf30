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
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public unsafe void ApplyInPlace(SimdLevel simd, T* p, int n)
    {
        int i = 0;
        if (simd == SimdLevel.Vector512)
        {
            int v = Vector512<T>.Count;
            for (; i + v <= n; i += v) Apply(Vector512.Load(p + i)).Store(p + i);
            if (i < n)
            {
                T* tmp = stackalloc T[v];
                for (int j = 0; j < v; j++) tmp[j] = i + j < n ? p[i + j] : T.Zero;
                Apply(Vector512.Load(tmp)).Store(tmp);
                for (int j = 0; i + j < n; j++) p[i + j] = tmp[j];
            }
        }
        else if (simd == SimdLevel.Vector256)
        {
            int v = Vector256<T>.Count;
            for (; i + v <= n; i += v) Apply(Vector256.Load(p + i)).Store(p + i);
            if (i < n)
            {
                T* tmp = stackalloc T[v];
                for (int j = 0; j < v; j++) tmp[j] = i + j < n ? p[i + j] : T.Zero;
                Apply(Vector256.Load(tmp)).Store(tmp);
                for (int j = 0; i + j < n; j++) p[i + j] = tmp[j];
            }
        }
        else for (; i < n; i++) p[i] = Apply(p[i]);
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
        EpilogueKind.Clamp => T.Min(T.Max(v, Lo), Hi),
        EpilogueKind.LeakyRelu => v < T.Zero ? Alpha * v : v,
        EpilogueKind.HardSwish => v * T.Max(T.Zero, T.Min(T.One, v / T.CreateTruncating(6) + T.CreateTruncating(0.5))),
        _ => v / (T.One + T.Exp(-v)),
    };

    /// <summary>The activation of a 256-bit vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Apply(Vector256<T> v)
    {
        switch (Kind)
        {
            case EpilogueKind.None: return v;
            case EpilogueKind.Clamp: return Vector256.MinNative(Vector256.MaxNative(v, Vector256.Create(Lo)), Vector256.Create(Hi));
            case EpilogueKind.LeakyRelu: return Vector256.ConditionalSelect(Vector256.LessThan(v, Vector256<T>.Zero), Vector256.Create(Alpha) * v, v);
            case EpilogueKind.HardSwish:
                return v * Vector256.Max(Vector256<T>.Zero, Vector256.Min(Vector256<T>.One,
                    v / Vector256.Create(T.CreateTruncating(6)) + Vector256.Create(T.CreateTruncating(0.5))));
            default: return v / (Vector256<T>.One + Exp(-v));
        }
    }

    /// <summary>The activation of a 512-bit vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Apply(Vector512<T> v)
    {
        switch (Kind)
        {
            case EpilogueKind.None: return v;
            case EpilogueKind.Clamp: return Vector512.MinNative(Vector512.MaxNative(v, Vector512.Create(Lo)), Vector512.Create(Hi));
            case EpilogueKind.LeakyRelu: return Vector512.ConditionalSelect(Vector512.LessThan(v, Vector512<T>.Zero), Vector512.Create(Alpha) * v, v);
            case EpilogueKind.HardSwish:
                return v * Vector512.Max(Vector512<T>.Zero, Vector512.Min(Vector512<T>.One,
                    v / Vector512.Create(T.CreateTruncating(6)) + Vector512.Create(T.CreateTruncating(0.5))));
            default: return v / (Vector512<T>.One + Exp(-v));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Exp(Vector256<T> v) => typeof(T) == typeof(float)
        ? Vector256.Exp(v.AsSingle()).As<float, T>() : Vector256.Exp(v.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Exp(Vector512<T> v) => typeof(T) == typeof(float)
        ? Vector512.Exp(v.AsSingle()).As<float, T>() : Vector512.Exp(v.AsDouble()).As<double, T>();
}
