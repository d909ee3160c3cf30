using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NativeCam.Kernels.Cpu.Elementwise;

namespace NativeCam.Kernels.Cpu;

public sealed partial class CpuKernels
{
    /// <summary>Elements per parallel chunk of an elementwise kernel (a multiple of every vector width).</summary>
    internal const int ElementwiseChunk = 1 << 16;

    /// <inheritdoc/>
    public void Unary(UnaryKind kind, IBuffer x, IBuffer y, double alpha = 0, double beta = 0)
    {
        if (x.Length != y.Length) throw new ArgumentException($"unary {kind}: x has {x.Length} elements, y {y.Length}");
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown unary kind");
        if (kind == UnaryKind.SiluDerivative) SiluDerivativeOrder.Check(alpha);
        switch (FloatType(x, y))
        {
            case DType.Float32: UnaryT(kind, Arr<float>(x), Arr<float>(y), (int)x.Length, alpha, beta); break;
            default: UnaryT(kind, Arr<double>(x), Arr<double>(y), (int)x.Length, alpha, beta); break;
        }
    }

    /// <summary>The backing array of a CPU buffer (checked like <see cref="Host{T}"/>), for use in parallel bodies. The
    /// buffer is the array's first <see cref="IBuffer.Length"/> elements: the array may be longer (a planned block).</summary>
    internal T[] Arr<T>(IBuffer b) where T : unmanaged
    {
        Host<T>(b);
        return ((CpuBuffer<T>)b).Array;
    }

    /// <summary>Runs body(start, count) over [0, n) in chunks of <see cref="ElementwiseChunk"/>, in parallel.</summary>
    internal void Chunked(long n, Action<int, int> body)
    {
        int chunks = (int)((n + ElementwiseChunk - 1) / ElementwiseChunk);
        if (chunks <= 1) { if (n > 0) body(0, (int)n); return; }
        ParallelFor(chunks, n, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (c) =>
        {
            long s = (long)c * ElementwiseChunk;
            body((int)s, (int)Math.Min(ElementwiseChunk, n - s));
        });
    }

    private void UnaryT<T>(UnaryKind kind, T[] x, T[] y, int length, double alpha, double beta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (kind == UnaryKind.PowScalar)
        {
            // integer and trivial exponents by multiplication (x² and 1/x are correctly rounded, like Pow)
            switch (alpha)
            {
                case 0: y.AsSpan(0, length).Fill(T.One); return;
                case 1: kind = UnaryKind.Identity; break;
                case 2: kind = UnaryKind.Square; break;
                case -1: kind = UnaryKind.Reciprocal; break;
            }
        }
        T a = T.CreateChecked(alpha), b = T.CreateChecked(beta);
        if (kind == UnaryKind.PowScalar || Simd == SimdLevel.Scalar)
        {
            Chunked(length, (s, n) => { for (int i = s; i < s + n; i++) y[i] = UnaryScalarOne(kind, x[i], a, b); });
            return;
        }
        if (typeof(T) == typeof(float))
        {
            var xf = (float[])(object)x; var yf = (float[])(object)y;
            float af = (float)(object)a, bf = (float)(object)b;
            if (Use512) Chunked(length, (s, n) => UnaryVec<V512F, Vector512<float>, float>(kind, xf, yf, s, n, af, bf));
            else Chunked(length, (s, n) => UnaryVec<V256F, Vector256<float>, float>(kind, xf, yf, s, n, af, bf));
        }
        else
        {
            var xd = (double[])(object)x; var yd = (double[])(object)y;
            double ad = (double)(object)a, bd = (double)(object)b;
            if (Use512) Chunked(length, (s, n) => UnaryVec<V512D, Vector512<double>, double>(kind, xd, yd, s, n, ad, bd));
            else Chunked(length, (s, n) => UnaryVec<V256D, Vector256<double>, double>(kind, xd, yd, s, n, ad, bd));
        }
    }

    /// <summary>y[s..s+n) = f(x[s..s+n)); the ragged tail goes through one zero-padded vector, so every element takes
    /// the same (vector) path whatever the chunking.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UnaryVec<TOps, TV, T>(UnaryKind kind, T[] x, T[] y, int s, int n, T a, T b)
        where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = TOps.Count, i = 0;
        TV va = TOps.Splat(a), vb = TOps.Splat(b);
        ref T xr = ref MemoryMarshal.GetArrayDataReference(x);
        ref T yr = ref MemoryMarshal.GetArrayDataReference(y);
        for (; i <= n - w; i += w)
            TOps.Store(UnaryVecOne<TOps, TV, T>(kind, TOps.Load(ref xr, (nuint)(s + i)), va, vb), ref yr, (nuint)(s + i));
        if (i < n)
        {
            Span<T> tmp = stackalloc T[w];
            tmp.Clear();
            x.AsSpan(s + i, n - i).CopyTo(tmp);
            ref T tr = ref MemoryMarshal.GetReference(tmp);
            TOps.Store(UnaryVecOne<TOps, TV, T>(kind, TOps.Load(ref tr, 0), va, vb), ref tr, 0);
            tmp[..(n - i)].CopyTo(y.AsSpan(s + i));
        }
    }

    /// <summary>The vector definition of every unary function (mirrors <see cref="UnaryScalarOne{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV UnaryVecOne<TOps, TV, T>(UnaryKind kind, TV v, TV a, TV b)
        where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        TV zero = TOps.Splat(T.Zero), one = TOps.Splat(T.One), half = TOps.Splat(T.CreateTruncating(0.5));
        switch (kind)
        {
            case UnaryKind.Identity: return v;
            case UnaryKind.Neg: return TOps.Neg(v);
            case UnaryKind.Exp: return TOps.Exp(v);
            case UnaryKind.Log: return TOps.Log(v);
            case UnaryKind.Sqrt: return TOps.Sqrt(v);
            case UnaryKind.Rsqrt: return TOps.Div(one, TOps.Sqrt(v));
            case UnaryKind.Reciprocal: return TOps.Div(one, v);
            case UnaryKind.Square: return TOps.Mul(v, v);
            case UnaryKind.Abs: return TOps.Abs(v);
            case UnaryKind.Sign: return TOps.Select(TOps.Gt(v, zero), one, TOps.Select(TOps.Lt(v, zero), TOps.Neg(one), zero));
            case UnaryKind.Relu: return TOps.Select(TOps.Gt(v, zero), v, zero);
            case UnaryKind.LeakyRelu: return TOps.Select(TOps.Lt(v, zero), TOps.Mul(a, v), v);
            case UnaryKind.Clip: return TOps.Min(TOps.Max(v, a), b);
            case UnaryKind.Sigmoid: return VectorMath.Sigmoid<TOps, TV, T>(v);
            case UnaryKind.Tanh: return VectorMath.Tanh<TOps, TV, T>(v);
            case UnaryKind.Silu: return TOps.Silu(v);
            case UnaryKind.Erf: return TOps.Erf(v);
            case UnaryKind.Gelu:
                // x·Φ(x) = ½x(1 + erf(x/√2))
                return TOps.Mul(TOps.Mul(half, v), TOps.Add(one, TOps.Erf(TOps.Mul(v, TOps.Splat(T.CreateTruncating(0.70710678118654752))))));
            case UnaryKind.GeluTanh:
                {
                    // ½x(1 + tanh u) = x·σ(2u) = x/(1 + e^(−2u)), u = √(2/π)(x + 0.044715x³): no cancellation for x ≪ 0
                    TV u = TOps.Mul(TOps.Splat(T.CreateTruncating(Math.Sqrt(2 / Math.PI))),
                        TOps.Fma(TOps.Mul(TOps.Splat(T.CreateTruncating(0.044715)), v), TOps.Mul(v, v), v));
                    return TOps.Div(v, TOps.Add(one, TOps.Exp(TOps.Mul(TOps.Splat(T.CreateTruncating(-2.0)), u))));
                }
            case UnaryKind.HardSigmoid: return TOps.Max(zero, TOps.Min(one, TOps.Add(TOps.Mul(a, v), b)));
            case UnaryKind.HardSwish:
                return TOps.Mul(v, TOps.Max(zero, TOps.Min(one, TOps.Add(TOps.Div(v, TOps.Splat(T.CreateTruncating(6.0))), half))));
            case UnaryKind.Affine: return TOps.Add(TOps.Mul(a, v), b);
            case UnaryKind.InRange: return TOps.And(TOps.And(TOps.Gt(v, a), TOps.Lt(v, b)), one);
            case UnaryKind.GreaterScalar: return TOps.And(TOps.Gt(v, a), one);
            case UnaryKind.SiluDerivative: return SiluDerivatives.Vector<TOps, TV, T>(int.CreateTruncating(TOps.Lane(a, 0)), v);
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "no vector path");
        }
    }

    /// <summary>The scalar definition of every unary function (the SimdLevel.Scalar path and PowScalar).</summary>
    internal static T UnaryScalarOne<T>(UnaryKind kind, T v, T a, T b) where T : IFloatingPointIeee754<T>
    {
        T half = T.CreateChecked(0.5), one = T.One, zero = T.Zero;
        switch (kind)
        {
            case UnaryKind.Identity: return v;
            case UnaryKind.Neg: return -v;
            case UnaryKind.Exp: return T.Exp(v);
            case UnaryKind.Log: return T.Log(v);
            case UnaryKind.Sqrt: return T.Sqrt(v);
            case UnaryKind.Rsqrt: return one / T.Sqrt(v);
            case UnaryKind.Reciprocal: return one / v;
            case UnaryKind.Square: return v * v;
            case UnaryKind.Abs: return T.Abs(v);
            case UnaryKind.Sign: return v > zero ? one : v < zero ? -one : zero;
            case UnaryKind.Relu: return v > zero ? v : zero;
            case UnaryKind.LeakyRelu: return v < zero ? a * v : v;
            case UnaryKind.Clip: return T.Min(T.Max(v, a), b);
            case UnaryKind.Sigmoid: return one / (one + T.Exp(-v));
            case UnaryKind.Tanh: return T.Tanh(v);
            case UnaryKind.Silu: return v / (one + T.Exp(-v));
            case UnaryKind.Erf: return T.CreateChecked(ScalarMath.Erf(double.CreateChecked(v)));
            case UnaryKind.Gelu: return T.CreateChecked(0.5 * double.CreateChecked(v) * (1 + ScalarMath.Erf(double.CreateChecked(v) / Math.Sqrt(2))));
            case UnaryKind.GeluTanh:
                {
                    T c = T.CreateChecked(Math.Sqrt(2 / Math.PI)), k = T.CreateChecked(0.044715);
                    return v / (one + T.Exp(T.CreateChecked(-2) * c * (v + k * v * v * v)));
                }
            case UnaryKind.HardSigmoid: return T.Max(zero, T.Min(one, a * v + b));
            case UnaryKind.HardSwish: return v * T.Max(zero, T.Min(one, v / T.CreateChecked(6) + half));
            case UnaryKind.PowScalar: return T.Pow(v, a);
            case UnaryKind.Affine: return a * v + b;
            case UnaryKind.InRange: return v > a && v < b ? one : zero;
            case UnaryKind.GreaterScalar: return v > a ? one : zero;
            case UnaryKind.SiluDerivative: return SiluDerivatives.Scalar(int.CreateTruncating(a), v);
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown unary kind");
        }
    }
}
