using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;
using NativeCam.Engine.Autodiff;

namespace NativeCam.Engine;

/// <summary>
/// An n-dimensional array (row-major, contiguous) of float32 or float64 on one backend, possibly carrying
/// derivative information. A tensor is one of:
/// <list type="bullet">
/// <item>a <b>value</b> (level 0): a buffer;</item>
/// <item>a <b>dual</b> (forward mode): a primal and a tangent, tagged with a nesting level;</item>
/// <item>a <b>reverse</b> tensor: a primal and the op that made it, tagged with a nesting level, so that a
/// backward sweep can send cotangents to its inputs.</item>
/// </list>
/// Levels keep perturbations of nested derivatives apart: an op applied to tensors of several levels treats the
/// highest level's tensors as its differentiated inputs and everything below as constants of that level.
/// Tensors are immutable.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    internal enum TensorKind { Value, Dual, Reverse }

    internal readonly TensorKind Kind;
    private readonly IBuffer? _buffer;
    private readonly Tensor? _primal;
    private readonly Tensor? _tangent;

    /// <summary>The op record of a reverse tensor (null for a reverse leaf).</summary>
    internal readonly ReverseNode? Node;

    /// <summary>Nesting level: 0 for a value, &gt; 0 for duals and reverse tensors.</summary>
    internal readonly int Level;

    private static int s_serial;

    /// <summary>A number given at construction, the hash of <see cref="TensorIdentity"/> (wraps after 2³² tensors:
    /// a hash, not an identity).</summary>
    internal readonly int Serial = Interlocked.Increment(ref s_serial);

    /// <summary>The serial number the next tensor made gets (at least).</summary>
    internal static int NextSerial => unchecked(Volatile.Read(ref s_serial) + 1);

    private Tensor(int[] shape, DType dtype, IKernels backend, IBuffer buffer)
    {
        Kind = TensorKind.Value;
        Shape = shape;
        DType = dtype;
        Backend = backend;
        _buffer = buffer;
    }

    private Tensor(TensorKind kind, Tensor primal, Tensor? tangent, ReverseNode? node, int level)
    {
        Kind = kind;
        Shape = primal.Shape;
        DType = primal.DType;
        Backend = primal.Backend;
        _primal = primal;
        _tangent = tangent;
        Node = node;
        Level = level;
    }

    /// <summary>The dims.</summary>
    public int[] Shape { get; }

    /// <summary>Number of dims.</summary>
    public int Rank => Shape.Length;

    /// <summary>Number of elements.</summary>
    public long Length => Shapes.Product(Shape);

    /// <summary>Element type (Float32 or Float64).</summary>
    public DType DType { get; }

    /// <summary>The backend the data lives on.</summary>
    public IKernels Backend { get; }

    /// <summary>True when this tensor carries derivative information (a dual or reverse tensor).</summary>
    public bool IsDifferentiable => Kind != TensorKind.Value;

    /// <summary>The buffer of a value tensor.</summary>
    internal IBuffer Buffer => _disposed != 0
        ? throw new ObjectDisposedException(nameof(Tensor), $"{this} was disposed (by its owner or by the TensorScope it was made in)")
        : _buffer ?? throw new InvalidOperationException("a dual or reverse tensor has no buffer of its own; use its primal");

    /// <summary>The primal one level down (a dual's or reverse tensor's value part).</summary>
    internal Tensor Primal => _primal ?? throw new InvalidOperationException("a value tensor has no primal");

    /// <summary>A dual's tangent.</summary>
    internal Tensor Tangent => _tangent ?? throw new InvalidOperationException("only a dual has a tangent");

    /// <summary>The plain value under every derivative level (a level-0 tensor sharing the buffer).</summary>
    public Tensor Value
    {
        get
        {
            var t = this;
            while (t.Kind != TensorKind.Value) t = t.Primal;
            return t;
        }
    }

    /// <summary>This tensor with every level at or above <paramref name="level"/> stripped.</summary>
    internal Tensor Below(int level)
    {
        var t = this;
        while (t.Level >= level && t.Kind != TensorKind.Value) t = t.Primal;
        return t;
    }

    /// <summary>Wraps a value buffer (takes ownership of one reference).</summary>
    internal static Tensor FromBuffer(int[] shape, DType dtype, IKernels backend, IBuffer buffer)
    {
        if (buffer.Length != Shapes.Product(shape))
            throw new ArgumentException($"buffer of {buffer.Length} elements for shape {Shapes.Format(shape)}");
        var t = new Tensor(shape, dtype, backend, buffer);
        TensorScope.Own(t);
        return t;
    }

    /// <summary>An uninitialised value tensor for an op's output (from the run's memory plan, if one is current).</summary>
    internal static Tensor Empty(int[] shape, DType dtype, IKernels backend)
    {
        foreach (int d in shape)
            if (d < 0) throw new ArgumentException($"negative dim in shape {Shapes.Format(shape)}");
        var t = new Tensor(shape, dtype, backend, AllocateBuffer(backend, dtype, Shapes.Product(shape)));
        TensorScope.Own(t);
        return t;
    }

    /// <summary>An uninitialised value tensor in fresh memory, never from a memory plan (data uploaded or filled
    /// here may be kept by the caller across runs).</summary>
    internal static Tensor EmptyUnplanned(int[] shape, DType dtype, IKernels backend)
    {
        foreach (int d in shape)
            if (d < 0) throw new ArgumentException($"negative dim in shape {Shapes.Format(shape)}");
        return new Tensor(shape, dtype, backend, backend.Allocate(dtype, Shapes.Product(shape)));
    }

    /// <summary>A buffer an op writes: from the current run's memory plan (<see cref="Graph.PlanRun"/>), else from the
    /// current backward sweep's released cotangents (<see cref="SweepPool"/>), else from the backend's released blocks
    /// inside a <see cref="TensorScope"/>, else fresh.</summary>
    internal static IBuffer AllocateBuffer(IKernels backend, DType dtype, long length) =>
        Graph.PlanRun.Current?.Allocate(backend, dtype, length)
        ?? SweepPool.Current?.Allocate(backend, dtype, length)
        ?? TensorScope.Allocate(backend, dtype, length)
        ?? backend.Allocate(dtype, length);

    /// <summary>A dual of level <paramref name="level"/>.</summary>
    internal static Tensor MakeDual(Tensor primal, Tensor tangent, int level)
    {
        CheckSameShape(primal, tangent, "dual tangent");
        return new Tensor(TensorKind.Dual, primal, tangent, null, level);
    }

    /// <summary>A reverse tensor of level <paramref name="level"/> (node null for a leaf).</summary>
    internal static Tensor MakeReverse(Tensor primal, ReverseNode? node, int level) =>
        new(TensorKind.Reverse, primal, null, node, level);

    /// <summary>Throws unless the shapes are equal.</summary>
    internal static void CheckSameShape(Tensor a, Tensor b, string what)
    {
        if (!a.Shape.AsSpan().SequenceEqual(b.Shape))
            throw new ArgumentException($"{what}: shape {Shapes.Format(a.Shape)} differs from {Shapes.Format(b.Shape)}");
    }

    /// <summary>The default backend for tensors created without one: SIMD CPU kernels on all cores.</summary>
    public static IKernels DefaultBackend => CpuKernels.Default;

    private int _disposed;

    /// <summary>The <see cref="TensorScope"/> that disposes this tensor when it ends (null: none).</summary>
    internal TensorScope? Scope { get; set; }

    /// <summary>Releases this tensor's reference to its buffer (values only; derivative wrappers own nothing). A second
    /// call does nothing; any later use of the tensor's data throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_buffer is not null && Interlocked.Exchange(ref _disposed, 1) == 0) _buffer.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        string kind = Kind switch { TensorKind.Dual => $" dual@{Level}", TensorKind.Reverse => $" reverse@{Level}", _ => "" };
        return $"Tensor{Shapes.Format(Shape)} {DType}{kind}";
    }
}
