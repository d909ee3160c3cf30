using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;


namespace NativeCam.Kernels.Cpu;

/// <summary>
/// Persistent worker threads for the CPU kernels, one pool per thread count shared by every <see cref="CpuKernels"/>.
/// A job is a fixed list of parts (contiguous ranges of work); the calling thread and the workers claim parts until
/// none is left, so a late or descheduled worker never delays the job (the caller takes its part), and the result
/// depends only on the parts, never on which thread ran them. After a job, workers spin briefly for the next one
/// (the ops of a network follow each other within microseconds) and then sleep. A job started while the pool is busy
/// (another caller, or a part that starts a job itself) runs its parts inline on the calling thread.
/// </summary>
internal sealed class WorkerPool
{
    private static readonly ConcurrentDictionary<int, WorkerPool> Pools = new();

    /// <summary>How long an idle worker spins before sleeping.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 5000; // 200 µs

    private readonly object _gate = new();
    private int _busy;
    private long _generation;
    private Job? _job;

    /// <summary>One published job: a stale job seen by a late worker has no part left to claim.</summary>
    private sealed class Job(Action<int> body, int parts)
    {
        public readonly Action<int> Body = body;
        public readonly int Parts = parts;
        public int Next, Finished;
        public Exception? Error;

        /// <summary>Claims and runs parts until none is left.</summary>
        public void Claim()
        {
            int part;
            while ((part = Interlocked.Increment(ref Next) - 1) < Parts)
            {
                try { Body(part); }
                catch (Exception e) { Interlocked.CompareExchange(ref Error, e, null); }
                Interlocked.Increment(ref Finished);
            }
        }
    }

    private WorkerPool(int threads)
    {
        for (int i = 1; i < threads; i++)
            new Thread(Work) { IsBackground = true, Name = $"nativecam-cpu-{i}" }.Start();
    }

    /// <summary>The shared pool with <paramref name="threads"/> threads (the caller counts as one).</summary>
    public static WorkerPool For(int threads) => Pools.GetOrAdd(threads, t => new WorkerPool(t));

    /// <summary>Runs body(0) … body(parts − 1), each once, on the caller and the workers; returns when all are done.</summary>
    public void Run(int parts, Action<int> body)
    {
        if (parts <= 0) return;
        if (parts == 1 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int i = 0; i < parts; i++) body(i);
            return;
        }
        try
        {
            var job = new Job(body, parts);
            lock (_gate)
            {
                Volatile.Write(ref _job, job);
                Interlocked.Increment(ref _generation);
                Monitor.PulseAll(_gate);
            }
            job.Claim();
            // the remaining parts are running on workers: wait without ever sleeping a whole scheduler tick
            var spin = new SpinWait();
            while (Volatile.Read(ref job.Finished) < parts) spin.SpinOnce(sleep1Threshold: -1);
            Volatile.Write(ref _job, null);
            if (job.Error is not null) ExceptionDispatchInfo.Capture(job.Error).Throw();
        }
        finally { Volatile.Write(ref _busy, 0); }
    }

    private void Work()
    {
        long seen = Volatile.Read(ref _generation);
        while (true)
        {
            long spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
            int spins = 0;
            while (Volatile.Read(ref _generation) == seen)
            {
                if (++spins % 64 != 0 || Stopwatch.GetTimestamp() < spinUntil) { Thread.SpinWait(8); continue; }
                lock (_gate)
                    while (Volatile.Read(ref _generation) == seen) Monitor.Wait(_gate);
            }
            seen = Volatile.Read(ref _generation);
            Volatile.Read(ref _job)?.Claim();
        }
    }
}
