using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NativeCam.Kernels.Cpu;

/// <summary>
/// SIMD CPU implementation of <see cref="IKernels"/>. The SIMD width is chosen at construction (Vector512 where the
/// processor accelerates it, else Vector256) and may be forced for tests and benchmarks. Work is spread over
/// <see cref="Threads"/> threads.
/// </summary>
public sealed partial class CpuKernels : IKernels
{
    /// <summary>A shared instance: widest SIMD, all cores.</summary>
    public static CpuKernels Default { get; } = new();

    /// <summary>Creates CPU kernels.</summary>
    /// <param name="simd">SIMD width; Auto picks the widest accelerated one.</param>
    /// <param name="threads">Worker threads; 0 means all cores.</param>
    public CpuKernels(SimdLevel simd = SimdLevel.Auto, int threads = 0) : this(Resolve(simd), threads, emulated: false) { }

    private CpuKernels(SimdLevel resolved, int threads, bool emulated)
    {
        if (threads < 0) throw new ArgumentOutOfRangeException(nameof(threads), threads, "threads must be ≥ 0 (0 = all cores)");
        Simd = resolved;
        IsEmulated = emulated;
        Threads = threads == 0 ? Environment.ProcessorCount : threads;
    }

    private WorkerPool? _pool;

    /// <summary>The persistent workers of this thread count (created on first parallel use).</summary>
    private WorkerPool Pool => _pool ??= WorkerPool.For(Threads);

    /// <summary>
    /// Kernels on a SIMD path this processor does not accelerate: the runtime emulates the vectors in software. Slow,
    /// but the same code runs, so tests check every path on any machine.
    /// </summary>
    internal static CpuKernels CreateEmulated(SimdLevel simd, int threads) =>
        simd is SimdLevel.Auto ? throw new ArgumentException("name the SIMD level to emulate") : new(simd, threads, emulated: true);

    /// <summary>True when the SIMD path is emulated in software (tests only).</summary>
    internal bool IsEmulated { get; }

    /// <summary>The SIMD width in use (never Auto).</summary>
    public SimdLevel Simd { get; }

    /// <summary>Worker threads.</summary>
    public int Threads { get; }

    /// <inheritdoc/>
    public string Name => Simd switch
    {
        SimdLevel.Vector512 => "cpu-avx512",
        SimdLevel.Vector256 => "cpu-avx2",
        _ => "cpu-scalar",
    } + (IsEmulated ? "-emulated" : "") + (Threads == 1 ? "" : $"-{Threads}t");

    /// <summary>True when the 512-bit path runs.</summary>
    internal bool Use512 => Simd == SimdLevel.Vector512;

    /// <summary>True when the 256-bit path runs.</summary>
    internal bool Use256 => Simd == SimdLevel.Vector256;

    /// <summary>Whether depthwise convolutions of small planes put the channels in the vector lanes
    /// (<see cref="Conv.DepthwiseChannels"/>); off, every plane takes the row kernels (tests run both).</summary>
    internal bool DepthwiseChannelLanes { get; private init; } = true;

    /// <summary>The same kernels with <see cref="DepthwiseChannelLanes"/> and <see cref="DepthwiseFromRows"/> off:
    /// every depthwise plane takes the row kernels (tests only).</summary>
    internal CpuKernels WithoutDepthwiseChannelLanes() => new(Simd, Threads, IsEmulated) { DepthwiseChannelLanes = false, DepthwiseFromRows = false };

    /// <summary>Whether 3×3 depthwise convolutions of stride 2, and of stride 1 on large planes, read the input rows
    /// directly with AVX-512 (<see cref="Conv.DepthwiseStride2Rows"/>, <see cref="Conv.DepthwiseStride1Rows"/>); off,
    /// they take the channel lanes or the row kernels (tests run both).</summary>
    internal bool DepthwiseFromRows { get; private init; } = true;

    /// <summary>The same kernels with <see cref="DepthwiseFromRows"/> off (tests only).</summary>
    internal CpuKernels WithoutDepthwiseFromRows() => new(Simd, Threads, IsEmulated) { DepthwiseFromRows = false, DepthwiseChannelLanes = DepthwiseChannelLanes };

    private static SimdLevel Resolve(SimdLevel s)
    {
        bool has512 = Vector512.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported;
        bool has256 = Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported;
        return s switch
        {
            SimdLevel.Auto => has512 ? SimdLevel.Vector512 : has256 ? SimdLevel.Vector256 : SimdLevel.Scalar,
            SimdLevel.Vector512 when !has512 => throw new NotSupportedException("this processor does not accelerate Vector512 with FMA"),
            SimdLevel.Vector256 when !has256 => throw new NotSupportedException("this processor does not accelerate Vector256 with FMA"),
            _ => s,
        };
    }

    /// <summary>True when this processor can run <paramref name="level"/>.</summary>
    public static bool IsSupported(SimdLevel level)
    {
        try { Resolve(level); return true; }
        catch (NotSupportedException) { return false; }
    }

    /// <inheritdoc/>
    public IBuffer Allocate(DType dtype, long length)
    {
        if (length < 0 || length > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"a CPU buffer holds 0..{Array.MaxLength} elements");
        int n = (int)length;
        return dtype switch
        {
            DType.Float32 => new CpuBuffer<float>(this, n),
            DType.Float64 => new CpuBuffer<double>(this, n),
            DType.Int32 => new CpuBuffer<int>(this, n),
            _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
        };
    }

    /// <inheritdoc/>
    public void Upload<T>(ReadOnlySpan<T> source, IBuffer destination) where T : unmanaged
    {
        var d = Host<T>(destination);
        if (source.Length != d.Length) throw new ArgumentException($"upload of {source.Length} elements into a buffer of {d.Length}");
        source.CopyTo(d);
    }

    /// <inheritdoc/>
    public void Download<T>(IBuffer source, Span<T> destination) where T : unmanaged
    {
        var s = Host<T>(source);
        if (destination.Length != s.Length) throw new ArgumentException($"download of {s.Length} elements into a span of {destination.Length}");
        s.CopyTo(destination);
    }

    /// <inheritdoc/>
    public void Fill(IBuffer buffer, double value)
    {
        switch (buffer.DType)
        {
            case DType.Float32: Host<float>(buffer).Fill((float)value); break;
            case DType.Float64: Host<double>(buffer).Fill(value); break;
            case DType.Int32: Host<int>(buffer).Fill(checked((int)value)); break;
        }
    }

    /// <summary>The host span of a CPU buffer of this backend, checked for element type.</summary>
    internal Span<T> Host<T>(IBuffer b) where T : unmanaged
    {
        if (b is CpuBuffer<T> cb)
        {
            if (!ReferenceEquals(cb.Backend, this) && cb.Backend is not CpuKernels)
                throw new ArgumentException("buffer belongs to another backend");
            return cb.Span;
        }
        throw new ArgumentException(b is null ? "buffer is null" : $"expected a CPU {DTypeExtensions.Of<T>()} buffer, got {b.DType} on {b.Backend.Name}");
    }

    /// <summary>The dtype shared by float operands; throws when they differ or are not float.</summary>
    internal static DType FloatType(params IBuffer?[] buffers) => KernelChecks.FloatType(buffers);

    /// <summary>Jobs with less work than this (flops or elements) run on the calling thread: a fork/join would cost
    /// more than it saves.</summary>
    internal const long MinParallelWork = 32_768;

    /// <summary>Runs body(i) for i in [0, count), in parallel when worthwhile: each thread takes a contiguous run of
    /// indices (see <see cref="ParallelRange"/>).</summary>
    /// <param name="work">Rough work estimate (flops or elements); small jobs run inline.</param>
    internal void ParallelFor(int count, long work, Action<int> body) =>
        ParallelRange(count, work, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (from, to) => { for (int i = from; i < to; i++) body(i); });

    /// <summary>
    /// Runs body(from, to) over a split of [0, count) into at most <see cref="Threads"/> contiguous ranges of equal
    /// size (± 1), on the persistent workers. The split depends only on count and the thread count, so results are
    /// deterministic for a given thread count.
    /// </summary>
    internal void ParallelRange(int count, long work, Action<int, int> body)
    {
        int parts = (int)Math.Min(count, Threads);
        if (parts <= 1 || work < MinParallelWork)
        {
            if (count > 0) body(0, count);
            return;
        }
        Pool.Run(parts, i => body((int)((long)count * i / parts), (int)((long)count * (i + 1) / parts)));
    }

    /// <summary>Reinterprets a span of T as float or double (T is known to equal TTo).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Span<TTo> As<T, TTo>(Span<T> s) where T : unmanaged where TTo : unmanaged =>
        MemoryMarshal.Cast<T, TTo>(s);

    /// <inheritdoc/>
    public void Dispose() { }
}
