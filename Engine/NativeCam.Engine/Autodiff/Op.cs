namespace NativeCam.Engine.Autodiff;

/// <summary>
/// A differentiable operation: its value on plain tensors and its two derivative rules. The rules are written with
/// Engine tensor ops (never kernels, never detaching what depends on the inputs), so they are themselves
/// differentiable: applying forward mode to a backward sweep gives Hessian-vector products with no extra code.
/// An op instance is created per application and may remember non-differentiable facts of its forward pass (an
/// argmax) for its rules. Non-tensor arguments (axes, strides, constant masks and indices) are fields.
/// </summary>
public abstract class Op
{
    /// <summary>Name for messages.</summary>
    public abstract string Name { get; }

    /// <summary>The value, on plain (level-0) tensors.</summary>
    protected internal abstract Tensor Forward(Tensor[] x);

    /// <summary>
    /// The tangent of the output from the inputs' tangents (null = zero tangent).
    /// <paramref name="x"/> and <paramref name="y"/> are the primal inputs and output one level down.
    /// </summary>
    protected internal abstract Tensor Jvp(Tensor[] x, Tensor y, Tensor?[] dx);

    /// <summary>The cotangents of the inputs (null where an input gets none) from the output's cotangent.</summary>
    protected internal abstract Tensor?[] Vjp(Tensor[] x, Tensor y, Tensor dy);

    /// <summary>
    /// The cotangents of the inputs flagged in <paramref name="wanted"/> (the backward sweep asks only for those of
    /// differentiated inputs, never for constants such as weights). Ops whose unwanted cotangents cost real work
    /// (products with weights) override this; the default computes all.
    /// </summary>
    protected internal virtual Tensor?[] Vjp(Tensor[] x, Tensor y, Tensor dy, bool[] wanted) => Vjp(x, y, dy);

    /// <summary>
    /// The value and the tangent in one pass where the two share work (a product with a constant matrix reads the
    /// matrix once for both), else null and they are computed apart by <see cref="Forward"/> and <see cref="Jvp"/>.
    /// Called with plain (level-0) inputs and tangents only; must give exactly what the two calls would.
    /// </summary>
    protected internal virtual (Tensor Value, Tensor Tangent)? ForwardWithTangent(Tensor[] x, Tensor?[] dx) => null;

    /// <summary>Applies this op to tensors of any level (see <see cref="Tensor"/>).</summary>
    public Tensor Apply(params Tensor[] inputs) => Dispatch.Apply(this, inputs);
}

/// <summary>An op of one differentiable input.</summary>
public abstract class UnaryOp : Op
{
    /// <summary>The value on a plain tensor.</summary>
    protected abstract Tensor Forward(Tensor x);

    /// <summary>Tangent rule.</summary>
    protected abstract Tensor Jvp(Tensor x, Tensor y, Tensor dx);

    /// <summary>Cotangent rule.</summary>
    protected abstract Tensor Vjp(Tensor x, Tensor y, Tensor dy);

    /// <inheritdoc/>
    protected internal sealed override Tensor Forward(Tensor[] x) => Forward(x[0]);

    /// <inheritdoc/>
    protected internal sealed override Tensor Jvp(Tensor[] x, Tensor y, Tensor?[] dx) => Jvp(x[0], y, dx[0]!);

    /// <inheritdoc/>
    protected internal sealed override Tensor?[] Vjp(Tensor[] x, Tensor y, Tensor dy) => [Vjp(x[0], y, dy)];
}

/// <summary>
/// An elementwise op y = f(x) whose derivative f′ is written with tensor ops: JVP = f′(x)·dx, VJP = f′(x)·dy.
/// </summary>
public abstract class ElementwiseOp : UnaryOp
{
    /// <summary>f′(x), given x and y = f(x) one level down.</summary>
    protected abstract Tensor Derivative(Tensor x, Tensor y);

    /// <inheritdoc/>
    protected override Tensor Jvp(Tensor x, Tensor y, Tensor dx) => Derivative(x, y) * dx;

    /// <inheritdoc/>
    protected override Tensor Vjp(Tensor x, Tensor y, Tensor dy) => Derivative(x, y) * dy;
}

/// <summary>A linear op of one input: JVP is the op itself on the tangent; VJP is its adjoint.</summary>
public abstract class LinearUnaryOp : UnaryOp
{
    /// <summary>The adjoint (transpose) applied to a cotangent; <paramref name="x"/> gives the input shape.</summary>
    protected abstract Tensor Adjoint(Tensor x, Tensor dy);

    /// <summary>The same map applied to another tensor of the input's shape.</summary>
    protected abstract Tensor Same(Tensor dx);

    /// <inheritdoc/>
    protected override Tensor Jvp(Tensor x, Tensor y, Tensor dx) => Same(dx);

    /// <inheritdoc/>
    protected override Tensor Vjp(Tensor x, Tensor y, Tensor dy) => Adjoint(x, dy);
}
