using NativeCam.Kernels;

namespace NativeCam.Engine;

/// <summary>
/// Owns the tensors ops make on this thread while it is current and disposes them when it ends, all but those
/// <see cref="Keep"/> takes out. Their memory comes from a pool of the backend's released blocks
/// (<see cref="PoolCapacityBytes"/>), so a loop of derivative calls (gradients, H·v) reuses the same warm memory
/// run after run instead of asking the garbage collector, and the operating system, for hundreds of megabytes each
/// time:
/// <code>
/// using (var scope = TensorScope.Begin())
/// {
///     var (g, hv) = Ad.GradAndHvp(f, x, v);
///     result = scope.Keep(hv);   // everything else made inside is disposed here
/// }
/// </code>
/// A tensor made inside and used after the scope ended throws <see cref="ObjectDisposedException"/>. Scopes nest and
/// must end in the reverse order of their start; a kept tensor moves to the enclosing scope, if any.
/// </summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? _current;

    private readonly TensorScope? _outer;
    private readonly List<Tensor> _owned = [];
    private bool _ended;

    private TensorScope(TensorScope? outer) => _outer = outer;

    /// <summary>The most bytes of released blocks each backend's pool keeps for reuse (1 GiB by default); blocks
    /// released beyond it go to the garbage collector.</summary>
    public static long PoolCapacityBytes { get; set; } = 1L << 30;

    /// <summary>Blocks shorter than this many elements are left to the garbage collector (cheap for it).</summary>
    internal const long MinPooledLength = 1024;

    /// <summary>The scope current on this thread, if any.</summary>
    internal static TensorScope? Current => _current;

    /// <summary>Starts a scope on this thread.</summary>
    public static TensorScope Begin() => _current = new TensorScope(_current);

    /// <summary>Lets the pooled free blocks of <paramref name="backend"/> go to the garbage collector.</summary>
    public static void TrimPool(IKernels backend) => BlockPool.For(backend)?.Trim();

    /// <summary>Takes <paramref name="tensor"/> (and everything under it: a dual's tangent, a derivative's primal) out of
    /// this scope: it outlives the scope's end (and belongs to the enclosing scope, if any). Tensors this scope did not
    /// make are left as they are.</summary>
    /// <returns>The tensor.</returns>
    public Tensor Keep(Tensor tensor)
    {
        ObjectDisposedException.ThrowIf(_ended, this);
        for (var stack = new Stack<Tensor>([tensor]); stack.TryPop(out var t);)
        {
            if (t.IsDifferentiable)
            {
                stack.Push(t.Primal);
                if (t.Kind == Tensor.TensorKind.Dual) stack.Push(t.Tangent);
            }
            else if (ReferenceEquals(t.Scope, this))
            {
                t.Scope = _outer;
                _outer?._owned.Add(t);
            }
        }
        return tensor;
    }

    /// <summary>Records a value tensor just made (called by the tensor factories).</summary>
    internal static void Own(Tensor tensor)
    {
        if (_current is not { } scope) return;
        tensor.Scope = scope;
        scope._owned.Add(tensor);
    }

    /// <summary>A pooled buffer for an op's output while a scope is current, else null.</summary>
    internal static IBuffer? Allocate(IKernels backend, DType dtype, long length) =>
        _current is not null && length >= MinPooledLength ? BlockPool.For(backend)?.Allocate(dtype, length, out _) : null;

    /// <summary>Disposes every tensor made inside and not kept, and ends the scope.</summary>
    public void Dispose()
    {
        if (_ended) return;
        if (!ReferenceEquals(_current, this)) throw new InvalidOperationException("tensor scopes must end in the reverse order of their start");
        _current = _outer;
        _ended = true;
        foreach (var t in _owned)
            if (ReferenceEquals(t.Scope, this)) t.Dispose(); // not kept
        _owned.Clear();
    }
}
