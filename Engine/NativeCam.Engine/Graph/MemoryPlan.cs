using NativeCam.Kernels;

namespace NativeCam.Engine.Graph;

/// <summary>
/// The static memory plan of one request (given names and shapes, fetched names) of one graph: which buffer each
/// allocation of a plain forward pass lives in. The first run records every allocation in order with its lifetime
/// (from its allocation to the release of its last owner, or to the end of its node when no output of the node
/// holds it); then each allocation gets a block of its dtype whose earlier user is dead: the smallest such block
/// that holds it, else the largest one, grown to fit, else a new block. Blocks serve tensors of any size up to
/// their own (a buffer is a block's first elements), so the blocks add up to little more than the most memory
/// alive at once, and a layer's output lands in memory that an earlier layer of the same pass just used (still in
/// the cache) rather than in a block of its size class last touched a whole pass ago. The recording reuses dead
/// allocations' memory of the same size, and those arrays become blocks where they are long enough, unless the
/// collector took them before the first planned run: blocks are allocated once and handed out again run after run.
/// An elementwise op's output takes over the block of the input it offers (<see cref="PlanRun.OfferInput"/>) where no
/// later node reads that input: written in place, while the input is still in the cache. Tensors alive at the end of
/// the run (the fetched results) are left out of the plan: they get fresh memory each run, so the next run never
/// overwrites what a caller holds.
/// </summary>
internal sealed class MemoryPlan(IKernels backend, IReusableBuffers blocks)
{
    private int _busy;
    private Layout? _layout;

    /// <summary>The backend whose allocations are planned.</summary>
    public IKernels Backend { get; } = backend;

    /// <summary>Makes and wraps the blocks.</summary>
    public IReusableBuffers Blocks { get; } = blocks;

    /// <summary>Elements of the blocks (0 before the plan is made).</summary>
    public long BlockElements => _layout is { } l ? l.BlockLengths.Sum() : 0;

    /// <summary>The largest total of elements alive at once during the recorded run, results included (0 before
    /// the plan is made): what any plan of this run needs at least.</summary>
    public long PeakLiveElements => _layout?.PeakLiveElements ?? 0;

    /// <summary>Elements of all planned allocations of one run (0 before the plan is made).</summary>
    public long PlannedElements => _layout?.PlannedElements ?? 0;

    /// <summary>
    /// Starts a run on this plan (recording it when there is no plan yet), or null when another run holds it:
    /// that run then allocates as if unplanned.
    /// </summary>
    public PlanRun? TryBegin()
    {
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0) return null;
        var layout = _layout;
        if (layout is not null && layout.Run is { } run) run.Restart();
        else if (layout is not null) layout.Run = run = new PlanRun(this, layout);
        else run = new PlanRun(this, null);
        return run;
    }

    /// <summary>Ends a run: keeps the recorded plan, or drops a plan the run did not follow.</summary>
    internal void End(PlanRun run)
    {
        if (run.Recording) _layout = run.Broken ? null : Layout.Build(run);
        else if (run.Broken) _layout = null; // record again next time
        Volatile.Write(ref _busy, 0);
    }

    /// <summary>The recorded allocations and their blocks.</summary>
    internal sealed class Layout
    {
        public required DType[] DTypes;
        public required long[] Lengths;
        public required int[] Block;        // block per allocation, −1 when it escapes (fresh memory)
        public required int[] Previous;     // the allocation that used the block before, −1 for none
        public required bool[] InPlace;     // written over Previous, the input its op offered, alive until the op ran
        public required long[] BlockLengths; // elements of each block (its longest allocation)
        public required object?[] Blocks;   // made at the first planned run (or the recording's, weakly held till then)
        public long PlannedElements;
        public long PeakLiveElements;
        public PlanRun? Run;                // reused by every planned run

        /// <summary>The largest total length of allocations alive at once (results alive to the end; an input written
        /// over in place counts as freed when its overwriter starts).</summary>
        private static long PeakLive(PlanRun r, int[] previous, bool[] inPlace)
        {
            var freeAt = r.FreeAt.ToArray();
            for (int k = 0; k < r.Count; k++)
                if (inPlace[k]) freeAt[previous[k]] = r.StartAt[k];
            var change = new SortedDictionary<int, long>();
            for (int k = 0; k < r.Count; k++)
            {
                change[r.StartAt[k]] = change.GetValueOrDefault(r.StartAt[k]) + r.Lengths[k];
                if (freeAt[k] >= 0) change[freeAt[k]] = change.GetValueOrDefault(freeAt[k]) - r.Lengths[k];
            }
            long live = 0, peak = 0;
            foreach (var d in change.Values) peak = Math.Max(peak, live += d);
            return peak;
        }

        /// <summary>The input allocation whose block allocation <paramref name="k"/> takes over in place: offered by
        /// its op, planned, of its dtype and length, the last user of its block, and released after k started and
        /// before anything else was allocated (so no later node reads it); else null.</summary>
        private static int? OverwritesInput(PlanRun r, int k, int[] block, List<int> lastOf)
        {
            int c = r.Offered[k];
            if (c < 0 || block[c] < 0 || lastOf[block[c]] != c) return null;
            if (r.DTypes[c] != r.DTypes[k] || r.Lengths[c] != r.Lengths[k]) return null;
            int next = k + 1 < r.Count ? r.StartAt[k + 1] : int.MaxValue;
            return r.FreeAt[c] > r.StartAt[k] && r.FreeAt[c] < next ? c : null;
        }

        public static Layout Build(PlanRun r)
        {
            int n = r.Count;
            var block = new int[n];
            var previous = new int[n];
            var inPlace = new bool[n];
            var lastOf = new List<int>();                  // last allocation of each block
            var length = new List<long>();                 // each block's length: the longest allocation it hosts
            long planned = 0;
            for (int k = 0; k < n; k++)
            {
                previous[k] = -1;
                if (r.FreeAt[k] < 0) { block[k] = -1; continue; } // alive at the end: a result
                long need = r.Lengths[k];
                if (OverwritesInput(r, k, block, lastOf) is int input)
                {
                    // the offered input dies with this node (released before the next allocation): its block now
                    int ib = block[input];
                    (previous[k], lastOf[ib], block[k], inPlace[k]) = (input, k, ib, true);
                    planned += need;
                    continue;
                }
                int fit = -1, largest = -1;
                for (int c = 0; c < lastOf.Count; c++)
                {
                    if (r.DTypes[lastOf[c]] != r.DTypes[k] || r.FreeAt[lastOf[c]] >= r.StartAt[k]) continue; // other dtype, or in use
                    if (length[c] >= need && (fit < 0 || length[c] < length[fit])) fit = c;
                    if (largest < 0 || length[c] > length[largest]) largest = c;
                }
                int b = fit >= 0 ? fit : largest;
                if (b < 0) { b = lastOf.Count; lastOf.Add(k); length.Add(need); }
                else { previous[k] = lastOf[b]; lastOf[b] = k; length[b] = Math.Max(length[b], need); }
                block[k] = b;
                planned += need;
            }
            // the recording's arrays that no result holds serve as blocks they are long enough for (no second
            // allocation), held weakly until the first planned run: a request run once leaves them to the collector
            var clean = new List<(DType DType, long Length, object Array)>();
            for (int a = 0; a < r.Arrays.Count; a++)
            {
                int last = r.LastUser[a];
                if (r.FreeAt[last] >= 0) clean.Add((r.DTypes[last], r.Lengths[last], r.Arrays[a])); // else a result's: the caller's now
            }
            clean.Sort((x, y) => x.Length.CompareTo(y.Length));
            var made = new object?[lastOf.Count];
            foreach (int b in Enumerable.Range(0, made.Length).OrderByDescending(b => length[b]))
            {
                int i = clean.FindIndex(c => c.DType == r.DTypes[lastOf[b]] && c.Length >= length[b]); // the shortest that holds the block
                if (i < 0) continue;
                made[b] = new WeakReference(clean[i].Array);
                clean.RemoveAt(i);
            }
            return new Layout
            {
                DTypes = [.. r.DTypes], Lengths = [.. r.Lengths], Block = block, Previous = previous, InPlace = inPlace, BlockLengths = [.. length],
                Blocks = made, PlannedElements = planned, PeakLiveElements = PeakLive(r, previous, inPlace),
            };
        }
    }
}
