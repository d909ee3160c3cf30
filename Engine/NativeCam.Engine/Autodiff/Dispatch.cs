using NativeCam.Kernels;

namespace NativeCam.Engine.Autodiff;

/// <summary>Applies ops to tensors of any nesting level and runs backward sweeps.</summary>
internal static class Dispatch
{
    /// <summary>When set, backward sweeps on this thread keep every cotangent (none disposed, no memory reused): the
    /// sweep as it was before <see cref="SweepPool"/>, which tests compare against.</summary>
    [ThreadStatic] internal static bool KeepCotangents;

    /// <summary>This thread's last backward sweep: blocks allocated fresh and reused, values disposed, and whether
    /// disposal stayed on to the end.</summary>
    [ThreadStatic] internal static (int Fresh, int Reused, int Disposed, bool Recycled) LastSweep;

    /// <summary>
    /// Applies <paramref name="op"/>: on plain tensors it computes the value; otherwise it peels the highest level L,
    /// applies the op one level down, and re-wraps: a dual's tangent by the JVP rule, a reverse tensor's record for
    /// the backward sweep. Lower levels recurse the same way.
    /// </summary>
    public static Tensor Apply(Op op, Tensor[] inputs)
    {
        if (inputs.Length == 0) throw new ArgumentException($"{op.Name}: no inputs");
        Tensor top = inputs[0];
        foreach (var t in inputs)
        {
            if (t.DType != inputs[0].DType)
                throw new ArgumentException($"{op.Name}: inputs mix {inputs[0].DType} and {t.DType}");
            if (!ReferenceEquals(t.Backend, inputs[0].Backend))
                throw new ArgumentException($"{op.Name}: inputs live on different backends ({inputs[0].Backend.Name}, {t.Backend.Name})");
            if (t.Level > top.Level) top = t;
        }
        if (top.Level == 0) return op.Forward(inputs);

        int level = top.Level;
        var primals = new Tensor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++) primals[i] = inputs[i].Level == level ? inputs[i].Primal : inputs[i];

        if (top.Kind == Tensor.TensorKind.Dual)
        {
            var tangents = new Tensor?[inputs.Length];
            for (int i = 0; i < inputs.Length; i++) tangents[i] = inputs[i].Level == level ? inputs[i].Tangent : null;
            // one level of duals over plain tensors: the op may compute value and tangent in one pass
            if (AllPlain(primals, tangents) && op.ForwardWithTangent(primals, tangents) is var (value, tangent))
                return Tensor.MakeDual(value, tangent, level);
            var yd = Apply(op, primals);
            return Tensor.MakeDual(yd, op.Jvp(primals, yd, tangents), level);
        }
        var y = Apply(op, primals);
        return Tensor.MakeReverse(y, new ReverseNode(op, inputs, primals, y), level);
    }

    private static bool AllPlain(Tensor[] primals, Tensor?[] tangents)
    {
        foreach (var p in primals)
            if (p.Level != 0) return false;
        foreach (var t in tangents)
            if (t is { Level: not 0 }) return false;
        return true;
    }

    /// <summary>
    /// Backward sweep of level <paramref name="level"/> from <paramref name="output"/> seeded with
    /// <paramref name="seed"/>; returns the cotangent of every leaf (a reverse tensor of that level without an op)
    /// reached.
    /// </summary>
    public static Dictionary<Tensor, Tensor> Backward(Tensor output, Tensor seed, int level)
    {
        var references = new SweepReferences(Tensor.NextSerial, enabled: !KeepCotangents);
        var pool = KeepCotangents ? null : SweepPool.Begin(output.Backend);
        try
        {
            var adjoint = new Dictionary<Tensor, Tensor>(TensorIdentity.Instance) { [output] = seed };
            references.Hold(seed);
            foreach (var t in ReverseTopologicalOrder(output, level))
            {
                // an inner tensor's cotangent is complete once its consumers ran; dropped here, it can be freed during
                // the sweep (only the leaves' cotangents are returned)
                if (t.Node is not { } node || !adjoint.Remove(t, out var g)) continue;
                var wanted = new bool[node.Inputs.Length];
                for (int i = 0; i < wanted.Length; i++)
                    wanted[i] = node.Inputs[i].Level == level && node.Inputs[i].Kind == Tensor.TensorKind.Reverse;
                var cts = node.Op.Vjp(node.Primals, node.Output, g, wanted);
                for (int i = 0; i < node.Inputs.Length; i++)
                {
                    var input = node.Inputs[i];
                    if (cts[i] is not { } ct || input.Level != level || input.Kind != Tensor.TensorKind.Reverse) continue;
                    if (!ct.Shape.AsSpan().SequenceEqual(input.Shape))
                        throw new InvalidOperationException($"{node.Op.Name}: cotangent of input {i} has shape {Shapes.Format(ct.Shape)}, input {Shapes.Format(input.Shape)}");
                    references.Hold(ct);
                    if (adjoint.TryGetValue(input, out var acc))
                    {
                        var sum = acc + ct;
                        references.Hold(sum);
                        references.Drop(acc);
                        references.Drop(ct);
                        adjoint[input] = sum;
                    }
                    else adjoint[input] = ct;
                }
                references.Drop(g);
            }
            return adjoint;
        }
        finally
        {
            pool?.End();
            LastSweep = (pool?.Fresh ?? 0, pool?.Reused ?? 0, references.Disposed, references.Enabled);
        }
    }

    /// <summary>Reverse tensors of <paramref name="level"/> reachable from <paramref name="output"/>, outputs first.</summary>
    private static List<Tensor> ReverseTopologicalOrder(Tensor output, int level)
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(TensorIdentity.Instance);
        var stack = new Stack<(Tensor T, bool Expanded)>();
        stack.Push((output, false));
        while (stack.Count > 0)
        {
            var (t, expanded) = stack.Pop();
            if (expanded) { order.Add(t); continue; }
            if (!visited.Add(t)) continue;
            stack.Push((t, true));
            if (t.Node is { } node)
                foreach (var input in node.Inputs)
                    if (input.Level == level && input.Kind == Tensor.TensorKind.Reverse && !visited.Contains(input))
                        stack.Push((input, false));
        }
        order.Reverse(); // post-order reversed: every tensor before the inputs that made it
        return order;
    }
}
