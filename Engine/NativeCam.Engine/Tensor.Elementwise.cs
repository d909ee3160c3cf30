using NativeCam.Engine.Ops;
using NativeCam.Kernels;

namespace NativeCam.Engine;

/// <summary>Elementwise math, activations, selections, max/min reductions and the softmax family.</summary>
public sealed partial class Tensor
{
    /// <summary>Natural logarithm, elementwise (NaN below 0, −∞ at 0).</summary>
    /// <returns>Same shape as this tensor.</returns>
    public Tensor Log() => new LogOp().Apply(this);

    /// <summary>Square root, elementwise.</summary>
    /// <returns>Same shape as this tensor.</returns>
    public Tensor Sqrt() => new SqrtOp().Apply(this);

    /// <summary>1/x, elementwise.</summary>
    /// <returns>Same shape as this tensor.</returns>
    public Tensor Reciprocal() => new ReciprocalOp().Apply(this);

    /// <summary>x², elementwise.</summary>
    /// <returns>Same shape as this tensor.</returns>
    public Tensor Square() => new SquareOp().Apply(this);

    /// <summary>x^p for a constant exponent, elementwise (NaN for negative x with a non-integer p).</summary>
    /// <param name="p">The exponent.</param>
    /// <returns>Same shape as this tensor.</returns>
    public Tensor Pow(double p) => new PowScalarOp(p).Apply(this);

    /// <summary>|x|, elementwise (derivative sign(x), 0 at 0).</summary>
    /// <returns>Same shape as this tensor.</returns>
    public Tensor Abs() => new AbsOp().Apply(this);

    /// <summary>The error function, elementwise.</summary>
    /// <returns>Same shape as this tensor.</returns>
    public Tensor Erf() => new ErfOp().Apply(this);

    /// <summary>The logistic sigmoid 1/(1 + e^(−x)), elementwise.</summary>
    /// <returns>Same shape as this tensor.</returns>
    public Tensor Sigmoid() => new SigmoidOp().Apply(this);

    /// <summary>tanh x, elementwise.</summary>
    /// <returns>Same shape as this tensor.</returns>
    public Tensor Tanh() => new TanhOp().Apply(this);

    /// <summary>SiLU (swish) x·σ(x), elementwise.</summary>
    /// <returns>Same shape as this tensor.</returns>
    public Tensor Silu() => new SiluOp().Apply(this);

    /// <summary>GELU x·Φ(x), elementwise: exact (erf) form, or the tanh approximation.</summary>
    /// <param name="approximateTanh">Use ½x(1 + tanh(√(2/π)(x + 0.044715x³))).</param>
    /// <returns>Same shape as this tensor.</returns>
    public Tensor Gelu(bool approximateTanh = false) => approximateTanh ? new GeluTanhOp().Apply(this) : new GeluOp().Apply(this);

    /// <summary>Hard sigmoid max(0, min(1, αx + β)), elementwise (ONNX defaults).</summary>
    /// <returns>Same shape as this tensor.</returns>
    public Tensor HardSigmoid(double alpha = 0.2, double beta = 0.5) => new HardSigmoidOp(alpha, beta).Apply(this);

    /// <summary>Hard swish x·max(0, min(1, x/6 + 1/2)), elementwise.</summary>
    /// <returns>Same shape as this tensor.</returns>
    public Tensor HardSwish() => new HardSwishOp().Apply(this);

    /// <summary>max(0, x), elementwise (derivative [x &gt; 0]: 0 at x = 0).</summary>
    /// <returns>Same shape as this tensor.</returns>
    public Tensor Relu() => new ReluOp().Apply(this);

    /// <summary>x for x &gt; 0, αx otherwise, elementwise.</summary>
    /// <param name="alpha">Slope for negative inputs (≤ 1).</param>
    /// <returns>Same shape as this tensor.</returns>
    public Tensor LeakyRelu(double alpha = 0.01) => new LeakyReluOp(alpha).Apply(this);

    /// <summary>min(max(x, min), max), elementwise; pass ±∞ for an open end. Derivative [min &lt; x &lt; max].</summary>
    /// <returns>Same shape as this tensor.</returns>
    public Tensor Clip(double min, double max) => new ClipOp(min, max).Apply(this);

    /// <summary>cond ≠ 0 ? a : b elementwise, with broadcasting of all three (ONNX Where).</summary>
    /// <param name="cond">A constant 0/1 mask (its derivative levels are ignored), broadcastable.</param>
    /// <param name="a">Chosen where cond ≠ 0, broadcastable.</param>
    /// <param name="b">Chosen where cond = 0, broadcastable.</param>
    /// <returns>The broadcast shape of cond, a and b.</returns>
    public static Tensor Where(Tensor cond, Tensor a, Tensor b) => new WhereOp(cond).Apply(a, b);

    /// <summary>max(this, other) elementwise with broadcasting; at ties the derivative goes to this tensor.</summary>
    /// <returns>The broadcast shape.</returns>
    public Tensor Maximum(Tensor other) => new MaximumOp().Apply(this, other);

    /// <summary>min(this, other) elementwise with broadcasting; at ties the derivative goes to this tensor.</summary>
    /// <returns>The broadcast shape.</returns>
    public Tensor Minimum(Tensor other) => new MinimumOp().Apply(this, other);

    /// <summary>Max over <paramref name="axes"/> (negative counts from the end; null or empty = all); the derivative goes to the first maximum.</summary>
    /// <returns>This shape without the axes, or with them as 1 when <paramref name="keepDims"/>.</returns>
    public Tensor Max(int[]? axes = null, bool keepDims = false) => new ReduceMaxOp(NormalizeAxes(axes), keepDims).Apply(this);

    /// <summary>Min over <paramref name="axes"/> (negative counts from the end; null or empty = all); the derivative goes to the first minimum.</summary>
    /// <returns>This shape without the axes, or with them as 1 when <paramref name="keepDims"/>.</returns>
    public Tensor Min(int[]? axes = null, bool keepDims = false) => new ReduceMinOp(NormalizeAxes(axes), keepDims).Apply(this);

    /// <summary>Softmax along <paramref name="axis"/> (negative counts from the end).</summary>
    /// <returns>Same shape as this tensor.</returns>
    public Tensor Softmax(int axis = -1) => new SoftmaxOp(NormalizeAxis(axis, "Softmax")).Apply(this);

    /// <summary>Log-softmax along <paramref name="axis"/> (negative counts from the end).</summary>
    /// <returns>Same shape as this tensor.</returns>
    public Tensor LogSoftmax(int axis = -1) => new LogSoftmaxOp(NormalizeAxis(axis, "LogSoftmax")).Apply(this);

    /// <summary>log Σ e^x along <paramref name="axis"/> (negative counts from the end).</summary>
    /// <returns>This shape without the axis, or with it as 1 when <paramref name="keepDims"/>.</returns>
    public Tensor LogSumExp(int axis = -1, bool keepDims = false) => new LogSumExpOp(NormalizeAxis(axis, "LogSumExp"), keepDims).Apply(this);

    /// <summary>One axis made non-negative, or an ArgumentException naming the op and shape.</summary>
    private int NormalizeAxis(int axis, string op)
    {
        int a = axis < 0 ? axis + Rank : axis;
        if (a < 0 || a >= Rank) throw new ArgumentException($"{op}: axis {axis} out of range for shape {Shapes.Format(Shape)}");
        return a;
    }
}
