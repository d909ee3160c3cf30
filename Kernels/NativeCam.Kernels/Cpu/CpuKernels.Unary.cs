using System.Numerics;

namespace NativeCam.Kernels.Cpu;

public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void Unary(UnaryKind kind, IBuffer x, IBuffer y, double alpha = 0, double beta = 0)
    {
        if (x.Length != y.Length) throw new ArgumentException($"unary {kind}: x has {x.Length} elements, y {y.Length}");
        switch (FloatType(x, y))
        {
            case DType.Float32: UnaryScalar(kind, Host<float>(x), Host<float>(y), alpha, beta); break;
            default: UnaryScalar(kind, Host<double>(x), Host<double>(y), alpha, beta); break;
        }
    }

    /// <summary>The scalar definition of every unary function (the fallback path).</summary>
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
            case UnaryKind.Gelu: return half * v * (one + T.CreateChecked(ScalarMath.Erf(double.CreateChecked(v) / Math.Sqrt(2))));
            case UnaryKind.GeluTanh:
                {
                    T c = T.CreateChecked(Math.Sqrt(2 / Math.PI)), k = T.CreateChecked(0.044715);
                    return half * v * (one + T.Tanh(c * (v + k * v * v * v)));
                }
            case UnaryKind.HardSigmoid: return T.Max(zero, T.Min(one, a * v + b));
            case UnaryKind.HardSwish: return v * T.Max(zero, T.Min(one, v / T.CreateChecked(6) + half));
            case UnaryKind.PowScalar: return T.Pow(v, a);
            case UnaryKind.Affine: return a * v + b;
            case UnaryKind.InRange: return v > a && v < b ? one : zero;
            case UnaryKind.GreaterScalar: return v > a ? one : zero;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown unary kind");
        }
    }

    private void UnaryScalar<T>(UnaryKind kind, Span<T> x, Span<T> y, double alpha, double beta) where T : IFloatingPointIeee754<T>
    {
        T a = T.CreateChecked(alpha), b = T.CreateChecked(beta);
        for (int i = 0; i < x.Length; i++) y[i] = UnaryScalarOne(kind, x[i], a, b);
    }
}
