using NativeCam.Kernels;

namespace NativeCam.Engine.Graph;

/// <summary>
/// One run under a <see cref="MemoryPlan"/>, current on its thread while the executor runs the nodes: every
/// buffer an op allocates for its output (<see cref="Tensor.Empty"/>) comes from here. Recording, it allocates
/// fresh memory and notes each allocation's lifetime; planned, it hands out the plan's blocks, checking that the
/// run follows the recording (same allocations in the same order, each block's previous user gone) and falling
/// back to fresh memory, and to a new recording next time, where it does not.
/// </summary>
internal sealed class PlanRun : IBufferListener
{
    [ThreadStatic] private static PlanRun? _current;
    [ThreadStatic] private static IBuffer? _offered;

    private readonly MemoryPlan _plan;
    private readonly MemoryPlan.Layout? _layout;
    private readonly List<(int Index, IBuffer Buffer)> _nodeAllocations = [];
    private readonly bool[] _released;
    private PlanRun? _outer;
    private bool _active;
    private int _next, _clock;

    // the recording
    internal readonly List<DType> DTypes = [];
    internal readonly List<long> Lengths = [];
    internal readonly List<int> StartAt = [];
    internal readonly List<int> FreeAt = [];
    internal readonly List<int> Offered = []; // the allocation whose memory the op offered for its output, or −1
    private readonly Dictionary<IBuffer, int> _allocationOf = new(ReferenceEqualityComparer.Instance);
    private IBuffer?[] _issued; // this planned run's buffer per allocation

    // the recording's own memory: a dead allocation's array is handed to the next allocation of its size, so the
    // recording holds no more than the plan will; the arrays no result kept become the plan's blocks
    internal readonly List<object> Arrays = [];
    internal readonly List<int> ArrayOf = [];
    internal readonly List<int> LastUser = [];
    private readonly Dictionary<(DType, long), Stack<int>> _freeArrays = [];

    public PlanRun(MemoryPlan plan, MemoryPlan.Layout? layout)
    {
        _plan = plan;
        _layout = layout;
        _released = layout is null ? [] : new bool[layout.Lengths.Length];
        _issued = layout is null ? [] : new IBuffer?[layout.Lengths.Length];
        Enter();
    }

    /// <summary>The run current on this thread, if any.</summary>
    public static PlanRun? Current => _current;

    /// <summary>True while recording the plan.</summary>
    public bool Recording => _layout is null;

    /// <summary>True when the run left its plan (or failed).</summary>
    public bool Broken { get; private set; }

    /// <summary>Allocations recorded.</summary>
    public int Count => DTypes.Count;

    /// <summary>
    /// Offers the memory of <paramref name="input"/> for the output the calling op allocates next (an elementwise op
    /// whose output has the input's shape: its kernel reads each element before it writes the same one). The plan
    /// takes it where nothing reads the input after this node, so the output is written over the input in place,
    /// still in the cache, instead of into a second block.
    /// </summary>
    public static void OfferInput(IBuffer input)
    {
        if (_current is not null) _offered = input;
    }

    /// <summary>Starts this (planned) run again.</summary>
    public void Restart()
    {
        Array.Clear(_released);
        Array.Clear(_issued);
        _next = 0;
        Broken = false;
        Enter();
    }

    private void Enter()
    {
        _outer = _current;
        _current = this;
        _active = true;
    }

    /// <summary>A buffer for an op's output, or null when the caller should allocate as usual.</summary>
    public IBuffer? Allocate(IKernels backend, DType dtype, long length)
    {
        var offered = _offered;
        _offered = null;
        if (!_active || Broken || !ReferenceEquals(backend, _plan.Backend)) return null;
        int k = _next++;
        IBuffer b;
        if (_layout is null)
        {
            DTypes.Add(dtype);
            Lengths.Add(length);
            StartAt.Add(_clock++);
            FreeAt.Add(-1);
            Offered.Add(offered is not null && _allocationOf.TryGetValue(offered, out int c) ? c : -1);
            if (!_freeArrays.TryGetValue((dtype, length), out var free) || !free.TryPop(out int a))
            {
                a = Arrays.Count;
                Arrays.Add(_plan.Blocks.AllocateBlock(dtype, length));
                LastUser.Add(k);
            }
            ArrayOf.Add(a);
            LastUser[a] = k;
            b = _plan.Blocks.Wrap(Arrays[a], length, this, k);
            _allocationOf[b] = k;
        }
        else
        {
            if (k >= _layout.Lengths.Length || _layout.DTypes[k] != dtype || _layout.Lengths[k] != length) return Leave();
            int block = _layout.Block[k];
            if (block < 0) return null; // a result: fresh memory
            int previous = _layout.Previous[k];
            if (_layout.InPlace[k])
            {
                // written over the input this op offers, as recorded; anything else leaves the plan
                if (offered is null || !ReferenceEquals(offered, _issued[previous])) return Leave();
            }
            else if (previous >= 0 && !_released[previous]) return Leave(); // still held: never overwrite it
            var memory = _layout.Blocks[block] is WeakReference recorded ? recorded.Target : _layout.Blocks[block];
            _layout.Blocks[block] = memory ??= _plan.Blocks.AllocateBlock(dtype, _layout.BlockLengths[block]);
            b = _plan.Blocks.Wrap(memory, length, this, k);
            _issued[k] = b;
        }
        _nodeAllocations.Add((k, b));
        return b;
    }

    private IBuffer? Leave()
    {
        Broken = true;
        return null;
    }

    /// <inheritdoc/>
    public void Released(int token)
    {
        if (!_active) return; // a result released after its run
        MarkDead(token);
    }

    private void MarkDead(int k)
    {
        if (_layout is null)
        {
            if (FreeAt[k] >= 0) return;
            FreeAt[k] = _clock++;
            var key = (DTypes[k], Lengths[k]);
            if (!_freeArrays.TryGetValue(key, out var free)) _freeArrays[key] = free = new Stack<int>();
            free.Push(ArrayOf[k]);
        }
        else _released[k] = true;
    }

    /// <summary>
    /// After a node ran: what it allocated and no output holds is dead (ops drop their temporaries without
    /// disposing them; in a plain forward pass nothing else keeps them).
    /// </summary>
    public void EndNode(Tensor[] outputs)
    {
        foreach (var (k, b) in _nodeAllocations)
        {
            bool held = false;
            foreach (var o in outputs)
                if (o is not null && !o.IsDifferentiable && ReferenceEquals(o.Buffer, b)) { held = true; break; }
            if (!held) MarkDead(k);
        }
        _nodeAllocations.Clear();
    }

    /// <summary>Ends the run (<paramref name="failed"/>: a node threw).</summary>
    public void End(bool failed)
    {
        _active = false;
        _current = _outer;
        _outer = null;
        _nodeAllocations.Clear();
        if (failed) Broken = true;
        if (_layout is not null && _next != _layout.Lengths.Length) Broken = true; // fewer allocations than recorded
        _plan.End(this);
    }
}
