using ILGPU;

namespace NativeCam.Kernels.Gpu.Kernels;

/// <summary>Fill, conversions and the unary functions, as grid-stride loops over the n elements.</summary>
internal static class ElementwiseKernels
{
    public static void Fill<T>(ArrayView<T> y, T value, int n) where T : unmanaged
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) y[i] = value;
    }

    public static void Copy<T>(ArrayView<T> x, ArrayView<T> y, int n) where T : unmanaged
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) y[i] = x[i];
    }

    public static void FloatToDouble(ArrayView<float> x, ArrayView<double> y, int n)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) y[i] = x[i];
    }

    public static void DoubleToFloat(ArrayView<double> x, ArrayView<float> y, int n)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) y[i] = (float)x[i];
    }

    public static void IntToFloat(ArrayView<int> x, ArrayView<float> y, int n)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) y[i] = x[i];
    }

    public static void IntToDouble(ArrayView<int> x, ArrayView<double> y, int n)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) y[i] = x[i];
    }

    /// <summary>y[i] = f(x[i]); each thread reads its element before writing it, so y may be x.</summary>
    public static void Unary<T, TOps>(ArrayView<T> x, ArrayView<T> y, int n, int kind, T a, T b)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) y[i] = UnaryOne<T, TOps>((UnaryKind)kind, x[i], a, b);
    }

    /// <summary>Every unary function, with the definitions of the CPU kernels (CpuKernels.UnaryScalarOne).</summary>
    public static T UnaryOne<T, TOps>(UnaryKind kind, T v, T a, T b) where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var o = default(TOps);
        T zero = o.From(0), one = o.From(1);
        switch (kind)
        {
            case UnaryKind.Identity: return v;
            case UnaryKind.Neg: return o.Neg(v);
            case UnaryKind.Exp: return o.Exp(v);
            case UnaryKind.Log: return o.Log(v);
            case UnaryKind.Sqrt: return o.Sqrt(v);
            case UnaryKind.Rsqrt: return o.Div(one, o.Sqrt(v));
            case UnaryKind.Reciprocal: return o.Div(one, v);
            case UnaryKind.Square: return o.Mul(v, v);
            case UnaryKind.Abs: return o.Abs(v);
            case UnaryKind.Sign: return o.Gt(v, zero) ? one : o.Lt(v, zero) ? o.Neg(one) : zero;
            case UnaryKind.Relu: return o.Gt(v, zero) ? v : zero;
            case UnaryKind.LeakyRelu: return o.Lt(v, zero) ? o.Mul(a, v) : v;
            case UnaryKind.Clip:
                {
                    T lo = o.Lt(v, a) ? a : v;
                    return o.Gt(lo, b) ? b : lo;
                }
            // 1/(1 + e^(−x)): e^(−x) = ∞ gives 0, never NaN
            case UnaryKind.Sigmoid: return o.Div(one, o.Add(one, o.Exp(o.Neg(v))));
            case UnaryKind.Tanh: return DeviceMath.Tanh<T, TOps>(v);
            case UnaryKind.Silu: return o.Div(v, o.Add(one, o.Exp(o.Neg(v))));
            case UnaryKind.Erf: return o.From(DeviceMath.Erf(o.ToDouble(v)));
            case UnaryKind.Gelu:
                {
                    // x·Φ(x) = ½x(1 + erf(x/√2)), in float64 like the CPU's erf
                    double x = o.ToDouble(v);
                    return o.From(0.5 * x * (1 + DeviceMath.Erf(x * 0.70710678118654752)));
                }
            case UnaryKind.GeluTanh:
                {
                    // ½x(1 + tanh u) = x/(1 + e^(−2u)), u = √(2/π)(x + 0.044715x³): no cancellation for x ≪ 0
                    T u = o.Mul(o.From(0.79788456080286536), o.Add(v, o.Mul(o.Mul(o.From(0.044715), v), o.Mul(v, v))));
                    return o.Div(v, o.Add(one, o.Exp(o.Mul(o.From(-2.0), u))));
                }
            case UnaryKind.HardSigmoid: return Clamp01<T, TOps>(o.Add(o.Mul(a, v), b));
            case UnaryKind.HardSwish: return o.Mul(v, Clamp01<T, TOps>(o.Add(o.Div(v, o.From(6)), o.From(0.5))));
            case UnaryKind.PowScalar: return o.Pow(v, a);
            case UnaryKind.Affine: return o.Add(o.Mul(a, v), b);
            case UnaryKind.InRange: return o.Gt(v, a) && o.Lt(v, b) ? one : zero;
            case UnaryKind.GreaterScalar: return o.Gt(v, a) ? one : zero;
            case UnaryKind.SiluDerivative: return SiluDerivative<T, TOps>(v, (int)o.ToDouble(a));
            default: return o.Add(v, o.From(double.NaN));
        }
    }

    /// <summary>silu⁽ᵏ⁾(x), k = 1…4, with the formulas of <see cref="SiluDerivativeOrder"/> (as the CPU kernels).</summary>
    internal static T SiluDerivative<T, TOps>(T x, int order) where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var o = default(TOps);
        T one = o.From(1), e = o.Exp(o.Neg(o.Abs(x))), big = o.Div(one, o.Add(one, e)), small = o.Mul(e, big);
        bool positive = !o.Lt(x, o.From(0));
        T s = positive ? big : small, t = positive ? small : big;
        T u = o.Mul(small, big), d = o.Sub(t, s), sixU = o.Mul(o.From(6), u);
        if (order == 1) return o.Add(o.Mul(x, u), s);
        if (order == 2) return o.Mul(u, o.Add(o.Mul(x, d), o.From(2)));
        if (order == 3) return o.Mul(u, o.Add(o.Mul(x, o.Sub(one, sixU)), o.Mul(o.From(3), d)));
        return o.Mul(u, o.Add(o.Mul(o.Mul(x, d), o.Sub(one, o.Add(sixU, sixU))), o.Mul(o.From(4), o.Sub(one, sixU))));
    }

    private static T Clamp01<T, TOps>(T v) where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var o = default(TOps);
        T zero = o.From(0), one = o.From(1);
        return o.Lt(v, one) ? (o.Gt(v, zero) ? v : zero) : one;
    }
}
