using System.Runtime.CompilerServices;

namespace NativeCam.Kernels.Gpu.Dense;

/// <summary>
/// The float arithmetic the dense kernels need, as instance methods of a struct so that one generic kernel compiles
/// for float32 and float64 (calls on <c>default(TOps)</c> are direct calls that ILGPU inlines).
/// </summary>
internal interface IDenseOps<T> where T : unmanaged
{
    /// <summary>0.</summary>
    T Zero { get; }
    /// <summary>−∞.</summary>
    T NegativeInfinity { get; }
    /// <summary>a + b.</summary>
    T Add(T a, T b);
    /// <summary>a·b.</summary>
    T Mul(T a, T b);
    /// <summary>a·b + c.</summary>
    T MulAdd(T a, T b, T c);
    /// <summary>a / b.</summary>
    T Div(T a, T b);
    /// <summary>The value nearest an integer.</summary>
    T FromInt(int v);
    /// <summary>True when a is NaN.</summary>
    bool IsNaN(T a);
    /// <summary>a ≤ b (false when either is NaN).</summary>
    bool LessOrEqual(T a, T b);
    /// <summary>min(max(a, lo), hi); NaN stays NaN.</summary>
    T Clamp(T a, T lo, T hi);
}

/// <summary>float32 arithmetic.</summary>
internal readonly struct Float32Ops : IDenseOps<float>
{
    public float Zero => 0f;
    public float NegativeInfinity => float.NegativeInfinity;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Add(float a, float b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Mul(float a, float b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float MulAdd(float a, float b, float c) => a * b + c;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Div(float a, float b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float FromInt(int v) => v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public bool IsNaN(float a) => float.IsNaN(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public bool LessOrEqual(float a, float b) => a <= b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Clamp(float a, float lo, float hi) => a < lo ? lo : a > hi ? hi : a;
}

/// <summary>float64 arithmetic.</summary>
internal readonly struct Float64Ops : IDenseOps<double>
{
    public double Zero => 0d;
    public double NegativeInfinity => double.NegativeInfinity;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public double Add(double a, double b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public double Mul(double a, double b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public double MulAdd(double a, double b, double c) => a * b + c;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public double Div(double a, double b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public double FromInt(int v) => v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public bool IsNaN(double a) => double.IsNaN(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public bool LessOrEqual(double a, double b) => a <= b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public double Clamp(double a, double lo, double hi) => a < lo ? lo : a > hi ? hi : a;
}
