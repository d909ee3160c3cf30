namespace NativeCam.Engine.Autodiff;

/// <summary>
/// Derivatives of tensor functions: forward mode (<see cref="Jvp(Func{Tensor, Tensor}, Tensor, Tensor)"/>), reverse mode
/// (<see cref="Vjp(Func{Tensor, Tensor}, Tensor, Tensor)"/>, <see cref="Grad(Func{Tensor, Tensor}, Tensor)"/>) and forward-over-reverse
/// (<see cref="GradAndHvp"/>). Calls nest freely: each call opens a new level, so perturbations of different calls
/// never mix. Nothing is detached on the way, so every result is differentiable again.
/// </summary>
public static class Ad
{
    private static int _lastLevel;

    /// <summary>A fresh nesting level, higher than every level opened before.</summary>
    internal static int NewLevel() => Interlocked.Increment(ref _lastLevel);

    /// <summary>f(x) and its directional derivative J·v (forward mode).</summary>
    /// <param name="f">The function.</param>
    /// <param name="x">The point.</param>
    /// <param name="v">The direction, shaped like x.</param>
    public static (Tensor Value, Tensor Tangent) Jvp(Func<Tensor, Tensor> f, Tensor x, Tensor v)
    {
        var (y, dy) = Jvp(xs => f(xs[0]), [x], [v]);
        return (y, dy);
    }

    /// <summary>f(x₁…xₙ) and Σᵢ Jᵢ·vᵢ (forward mode).</summary>
    public static (Tensor Value, Tensor Tangent) Jvp(Func<Tensor[], Tensor> f, Tensor[] x, Tensor[] v)
    {
        if (x.Length != v.Length) throw new ArgumentException($"Jvp: {x.Length} inputs, {v.Length} directions");
        int level = NewLevel();
        var duals = new Tensor[x.Length];
        for (int i = 0; i < x.Length; i++) duals[i] = Tensor.MakeDual(x[i], v[i], level);
        var y = f(duals);
        return y.Level switch
        {
            _ when y.Level == level && y.Kind == Tensor.TensorKind.Dual => (y.Primal, y.Tangent),
            _ when y.Level > level => throw new InvalidOperationException("Jvp: the result carries a perturbation of a call nested inside f; return values of inner derivative calls, not their internals"),
            _ => (y, y.ZerosLike()),
        };
    }

    /// <summary>f(x) and the cotangent uᵀJ of x (reverse mode).</summary>
    /// <param name="f">The function.</param>
    /// <param name="x">The point.</param>
    /// <param name="u">The output cotangent, shaped like f(x).</param>
    public static (Tensor Value, Tensor Cotangent) Vjp(Func<Tensor, Tensor> f, Tensor x, Tensor u)
    {
        var (y, cts) = Vjp(xs => f(xs[0]), [x], u);
        return (y, cts[0]);
    }

    /// <summary>f(x₁…xₙ) and the cotangents uᵀJᵢ of every input (one backward sweep).</summary>
    public static (Tensor Value, Tensor[] Cotangents) Vjp(Func<Tensor[], Tensor> f, Tensor[] x, Tensor u) =>
        VjpCore(f, x, y =>
        {
            Tensor.CheckSameShape(y, u, "Vjp cotangent");
            return u;
        });

    /// <summary>The gradient of a scalar function (a one-element result).</summary>
    public static Tensor Grad(Func<Tensor, Tensor> f, Tensor x) => ValueAndGrad(f, x).Grad;

    /// <summary>f(x) and its gradient, for a one-element result.</summary>
    public static (Tensor Value, Tensor Grad) ValueAndGrad(Func<Tensor, Tensor> f, Tensor x)
    {
        var (y, g) = VjpCore(xs => f(xs[0]), [x], y =>
        {
            if (y.Length != 1) throw new ArgumentException($"Grad needs a scalar function; f returned shape [{string.Join(", ", y.Shape)}]");
            return y.Value.OnesLike();
        });
        return (y, g[0]);
    }

    /// <summary>The gradients of a scalar function with respect to each of several inputs.</summary>
    public static Tensor[] Grad(Func<Tensor[], Tensor> f, Tensor[] x) =>
        VjpCore(f, x, y =>
        {
            if (y.Length != 1) throw new ArgumentException($"Grad needs a scalar function; f returned shape [{string.Join(", ", y.Shape)}]");
            return y.Value.OnesLike();
        }).Cotangents;

    private static (Tensor Value, Tensor[] Cotangents) VjpCore(Func<Tensor[], Tensor> f, Tensor[] x, Func<Tensor, Tensor> seed)
    {
        int level = NewLevel();
        var leaves = new Tensor[x.Length];
        for (int i = 0; i < x.Length; i++) leaves[i] = Tensor.MakeReverse(x[i], null, level);
        var y = f(leaves);
        if (y.Level > level)
            throw new InvalidOperationException("Vjp: the result carries a perturbation of a call nested inside f");
        var u = seed(y);
        var result = new Tensor[x.Length];
        if (y.Level < level)
        {
            for (int i = 0; i < x.Length; i++) result[i] = x[i].ZerosLike();
            return (y, result);
        }
        var adjoint = Dispatch.Backward(y, u, level);
        for (int i = 0; i < x.Length; i++)
            result[i] = adjoint.TryGetValue(leaves[i], out var g) ? g : x[i].ZerosLike();
        return (y.Primal, result);
    }

    /// <summary>
    /// The gradient ∇f(x) and the Hessian-vector product H·v in one sweep: forward mode over reverse mode, i.e. the
    /// directional derivative of the gradient along v.
    /// </summary>
    public static (Tensor Grad, Tensor Hv) GradAndHvp(Func<Tensor, Tensor> f, Tensor x, Tensor v) =>
        Jvp(xx => Grad(f, xx), x, v);
}
