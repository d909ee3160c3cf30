namespace NativeCam.Cam.Diagnostics;

/// <summary>One graph node's line of a profile.</summary>
/// <param name="Name">The node's name (the ONNX node's).</param>
/// <param name="Op">Its op type.</param>
/// <param name="InputShapes">Shapes of its inputs (null for an omitted optional input).</param>
/// <param name="OutputShapes">Shapes of its outputs.</param>
/// <param name="MeanMs">Mean time per pass over the timed runs.</param>
/// <param name="Share">Fraction of the pass's total time.</param>
/// <param name="Flops">2 × multiply-adds (<c>ModelFlops</c>: Conv/Gemm/MatMul and their quantized forms; 0 for other ops).</param>
/// <param name="Gflops">Flops over the mean time (0 for uncounted ops).</param>
/// <param name="PercentOfPeak">Gflops over the same-run FMA peak, in percent.</param>
/// <param name="BytesMoved">Activation inputs + weights + outputs, in bytes (each read or written once).</param>
/// <param name="WeightBytes">The part of <paramref name="BytesMoved"/> that is weights (graph constants).</param>
public sealed record NodeProfile(string Name, string Op, int[]?[] InputShapes, int[][] OutputShapes, double MeanMs, double Share,
    double Flops, double Gflops, double PercentOfPeak, long BytesMoved, long WeightBytes);

/// <summary>One pass (the forward, or the head sweep) of a profile.</summary>
/// <param name="Pass">"forward" or "head-sweep".</param>
/// <param name="Runs">Timed runs (after the warm-up).</param>
/// <param name="TotalMs">Mean wall time of the whole pass.</param>
/// <param name="NodesMs">Sum of <see cref="Nodes"/>' mean times.</param>
/// <param name="UnattributedMs">The rest of the total: the executor's bookkeeping between nodes, and in the head sweep
/// the reverse sweep and the utility, which do not run node by node.</param>
/// <param name="UnattributedLabel">What <paramref name="UnattributedMs"/> holds.</param>
/// <param name="Nodes">Per graph node, slowest first.</param>
/// <param name="Note">How the pass was measured and attributed.</param>
public sealed record PassProfile(string Pass, int Runs, double TotalMs, double NodesMs, double UnattributedMs, string UnattributedLabel,
    IReadOnlyList<NodeProfile> Nodes, string Note);

/// <summary>What <see cref="ModelProfiler.Run"/> measured.</summary>
/// <param name="InputShape">The input's shape (batch first).</param>
/// <param name="Threads">CPU threads of the kernels.</param>
/// <param name="PeakGflops">The FMA peak at that thread count, measured in the same run.</param>
/// <param name="Layer">Target layer of the head sweep.</param>
/// <param name="Forward">The forward pass.</param>
/// <param name="HeadSweep">ShapleyCAM's head sweep at <paramref name="Layer"/>.</param>
public sealed record ModelProfile(int[] InputShape, int Threads, double PeakGflops, string Layer, PassProfile Forward, PassProfile HeadSweep)
{
    /// <summary>The node runs of the last timed forward pass and head sweep (for <see cref="ChromeTrace"/>).</summary>
    public IReadOnlyList<NodeRun> LastForwardRuns { get; init; } = [];

    /// <summary>The node runs of the last timed head sweep.</summary>
    public IReadOnlyList<NodeRun> LastHeadSweepRuns { get; init; } = [];

    /// <summary>Start and length (µs from the trace origin) of the last head sweep's part after its graph nodes.</summary>
    public (double StartUs, double DurationUs) LastHeadSweepBackward { get; init; }
}
