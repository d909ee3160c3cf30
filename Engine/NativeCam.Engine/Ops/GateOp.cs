using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>
/// t where lo &lt; g &lt; hi, else 0 (hi = +∞: where g &gt; lo), for a constant gate g of t's shape: the derivative of
/// ReLU and of a clip applied to a tangent or cotangent, read off the activation's input or output, in one kernel pass
/// (<see cref="IKernels.Gate"/>) instead of a 0/1 mask and a product. Linear in t; g's derivative levels, if any, are
/// ignored (the gate is piecewise constant).
/// </summary>
public sealed class GateOp : Autodiff.LinearUnaryOp
{
    private readonly Tensor _gate;
    private readonly double _lo, _hi;

    /// <summary>Passes t where <paramref name="lo"/> &lt; <paramref name="gate"/> &lt; <paramref name="hi"/>.</summary>
    public GateOp(Tensor gate, double lo, double hi)
    {
        if (double.IsNaN(lo) || double.IsNaN(hi)) throw new ArgumentException("Gate: a bound is NaN");
        (_gate, _lo, _hi) = (gate.Value, lo, hi);
    }

    /// <inheritdoc/>
    public override string Name => "Gate";

    /// <summary>The gate of ReLU's derivative: t where g &gt; 0.</summary>
    public static Tensor Relu(Tensor gate, Tensor t) => new GateOp(gate, 0, double.PositiveInfinity).Apply(t);

    /// <summary>The gate of a clip's derivative: t where lo &lt; g &lt; hi.</summary>
    public static Tensor Clip(Tensor gate, double lo, double hi, Tensor t) => new GateOp(gate, lo, hi).Apply(t);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor t)
    {
        var gate = GateFor(t);
        var y = Tensor.Empty(t.Shape, t.DType, t.Backend);
        t.Backend.Gate(gate.Buffer, t.Buffer, y.Buffer, _lo, _hi);
        return y;
    }

    /// <summary>The gate in t's dtype, after checking that it matches t's shape and backend.</summary>
    private Tensor GateFor(Tensor t)
    {
        Tensor.CheckSameShape(_gate, t, "Gate");
        if (!ReferenceEquals(_gate.Backend, t.Backend))
            throw new ArgumentException($"Gate: the gate lives on {_gate.Backend.Name}, t on {t.Backend.Name}");
        return _gate.DType == t.DType ? _gate : _gate.ToDType(t.DType);
    }

    // the value and the tangent gated in one pass that reads the gate once (the backward sweep's dual cotangents)
    /// <inheritdoc/>
    protected internal override (Tensor Value, Tensor Tangent)? ForwardWithTangent(Tensor[] x, Tensor?[] dx)
    {
        if (dx[0] is not { } dt) return null;
        var t = x[0];
        var gate = GateFor(t);
        Tensor.CheckSameShape(t, dt, "Gate tangent");
        Tensor y = Tensor.Empty(t.Shape, t.DType, t.Backend), dy = Tensor.Empty(t.Shape, t.DType, t.Backend);
        t.Backend.Gate(gate.Buffer, t.Buffer, y.Buffer, _lo, _hi, dt.Buffer, dy.Buffer);
        return (y, dy);
    }

    /// <inheritdoc/>
    protected override Tensor Same(Tensor dt) => new GateOp(_gate, _lo, _hi).Apply(dt);

    // the gate is its own adjoint (a diagonal 0/1 map)
    /// <inheritdoc/>
    protected override Tensor Adjoint(Tensor t, Tensor dy) => new GateOp(_gate, _lo, _hi).Apply(dy);
}
