namespace NativeCam.Engine.Autodiff;

/// <summary>
/// Counts, per value tensor, the live cotangents of a backward sweep that hold it (a dual cotangent holds its
/// primal's and tangent's values), so that a value made during the sweep is disposed as soon as no cotangent holds it
/// (its buffer goes back to the <see cref="SweepPool"/>). Values made before the sweep (the forward tape, the seed)
/// are never disposed. A cotangent carrying a reverse level (reverse over reverse: an outer tape records the sweep's
/// ops and keeps their operands) turns disposal off for the rest of the sweep.
/// </summary>
internal sealed class SweepReferences(int firstSerial, bool enabled = true)
{
    private readonly Dictionary<Tensor, int> _holders = new(TensorIdentity.Instance);

    /// <summary>False once a cotangent carried a reverse level: nothing is disposed from then on.</summary>
    public bool Enabled { get; private set; } = enabled;

    /// <summary>Values disposed so far.</summary>
    public int Disposed { get; private set; }

    /// <summary>A cotangent is kept (stored, or about to be used).</summary>
    public void Hold(Tensor t)
    {
        if (!Enabled) return;
        if (CarriesReverse(t)) { Enabled = false; return; }
        Walk(t, v => _holders[v] = _holders.GetValueOrDefault(v) + 1);
    }

    /// <summary>A cotangent held before is let go; values nobody holds any more are disposed.</summary>
    public void Drop(Tensor t)
    {
        if (!Enabled) return;
        Walk(t, v =>
        {
            if (!_holders.TryGetValue(v, out int n)) return;
            if (n > 1) { _holders[v] = n - 1; return; }
            _holders.Remove(v);
            if (unchecked(v.Serial - firstSerial) >= 0)
            {
                v.Dispose();
                Disposed++;
            }
        });
    }

    private static bool CarriesReverse(Tensor t) => t.Kind switch
    {
        Tensor.TensorKind.Value => false,
        Tensor.TensorKind.Reverse => true,
        _ => CarriesReverse(t.Primal) || CarriesReverse(t.Tangent),
    };

    private static void Walk(Tensor t, Action<Tensor> value)
    {
        if (t.Kind == Tensor.TensorKind.Value) { value(t); return; }
        Walk(t.Primal, value);
        if (t.Kind == Tensor.TensorKind.Dual) Walk(t.Tangent, value);
    }
}
