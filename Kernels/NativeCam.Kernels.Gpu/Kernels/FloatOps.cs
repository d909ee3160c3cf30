using System.Runtime.CompilerServices;
using ILGPU.Algorithms;

namespace NativeCam.Kernels.Gpu.Kernels;

/// <summary>
/// Arithmetic on a float element type for generic device kernels: every kernel (elementwise, reductions and the
/// dense GEMM/convolution/pooling kernels alike) is generic over (T, TOps) and calls these instance methods on
/// <c>default(TOps)</c>, which ILGPU specialises per instantiation (no virtual calls). Transcendentals go through
/// ILGPU.Algorithms <see cref="XMath"/> (System.Math on the CPU accelerator).
/// </summary>
internal interface IFloatOps<T> where T : unmanaged
{
    /// <summary>0.</summary>
    T Zero { get; }
    /// <summary>−∞.</summary>
    T NegativeInfinity { get; }
    /// <summary>The value nearest an integer.</summary>
    T FromInt(int v);
    /// <summary>a·b + c.</summary>
    T MulAdd(T a, T b, T c);
    /// <summary>a ≤ b (false when either is NaN).</summary>
    bool LessOrEqual(T a, T b);
    /// <summary>min(max(a, lo), hi); NaN stays NaN.</summary>
    T Clamp(T a, T lo, T hi);
    T From(double v);
    double ToDouble(T v);
    T Add(T a, T b);
    T Sub(T a, T b);
    T Mul(T a, T b);
    T Div(T a, T b);
    T Neg(T a);
    bool Gt(T a, T b);
    bool Lt(T a, T b);
    bool Eq(T a, T b);
    bool IsNaN(T a);
    T Exp(T a);
    T Log(T a);
    T Sqrt(T a);
    T Pow(T a, T b);
    T Abs(T a);
}

/// <summary>float32 operations.</summary>
internal readonly struct F32Ops : IFloatOps<float>
{
    public float Zero => 0f;
    public float NegativeInfinity => float.NegativeInfinity;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float FromInt(int v) => v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float MulAdd(float a, float b, float c) => a * b + c;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public bool LessOrEqual(float a, float b) => a <= b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Clamp(float a, float lo, float hi) => a < lo ? lo : a > hi ? hi : a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float From(double v) => (float)v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public double ToDouble(float v) => v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Add(float a, float b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Sub(float a, float b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Mul(float a, float b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Div(float a, float b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Neg(float a) => -a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public bool Gt(float a, float b) => a > b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public bool Lt(float a, float b) => a < b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public bool Eq(float a, float b) => a == b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public bool IsNaN(float a) => float.IsNaN(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Exp(float a) => XMath.Exp(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Log(float a) => XMath.Log(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Sqrt(float a) => XMath.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Pow(float a, float b) => XMath.Pow(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Abs(float a) => XMath.Abs(a);
}

/// <summary>float64 operations.</summary>
internal readonly struct F64Ops : IFloatOps<double>
{
    public double Zero => 0d;
    public double NegativeInfinity => double.NegativeInfinity;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public double FromInt(int v) => v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public double MulAdd(double a, double b, double c) => a * b + c;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public bool LessOrEqual(double a, double b) => a <= b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public double Clamp(double a, double lo, double hi) => a < lo ? lo : a > hi ? hi : a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public double From(double v) => v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public double ToDouble(double v) => v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public double Add(double a, double b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public double Sub(double a, double b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public double Mul(double a, double b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public double Div(double a, double b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public double Neg(double a) => -a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public bool Gt(double a, double b) => a > b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public bool Lt(double a, double b) => a < b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public bool Eq(double a, double b) => a == b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public bool IsNaN(double a) => double.IsNaN(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public double Exp(double a) => XMath.Exp(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public double Log(double a) => XMath.Log(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public double Sqrt(double a) => XMath.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public double Pow(double a, double b) => XMath.Pow(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public double Abs(double a) => XMath.Abs(a);
}
