using System.Diagnostics;
using NativeCam.Cam.Probe;
using NativeCam.Engine;
using NativeCam.Engine.Autodiff;
using NativeCam.Engine.Graph;
using NativeCam.Kernels.Cpu;

namespace NativeCam.Cam.Diagnostics;

/// <summary>How <see cref="ModelProfiler.Run"/> measures.</summary>
/// <param name="Runs">Timed runs of each pass (times are means over them).</param>
/// <param name="Warmup">Untimed runs first: .NET recompiles a method at full optimisation after 30 calls, so fewer
/// warm-up runs time partly unoptimised code.</param>
/// <param name="Layer">Target layer of the head sweep (default: <see cref="LayerSelection.Auto"/>).</param>
/// <param name="PeakSeconds">Length of the FMA peak measurement.</param>
/// <param name="Seed">Seed of the random input (uniform in [−2, 2]).</param>
public sealed record ProfileOptions(int Runs = 10, int Warmup = 30, string? Layer = null, double PeakSeconds = 0.3, int Seed = 0);

/// <summary>
/// Per-node times of a model on the CPU backend: the forward pass, and ShapleyCAM's head sweep (the head, from the
/// target layer A to the logits, run with A as a dual under one reverse sweep: g and H·A, as <see cref="LayerProbe"/>
/// computes them). Nodes are timed by wall clock around each node's compute (<see cref="NodeTimer"/>); FLOP counts
/// come from <see cref="Model.Layers"/> and the peak from <see cref="FmaPeak"/> in the same run. In the head sweep
/// each graph node is the head's forward with tangents (recording the reverse tape); the reverse sweep runs after
/// the graph, op by op, and is reported as one total.
/// </summary>
public static class ModelProfiler
{
    /// <summary>Profiles <paramref name="model"/> (imported for the batch size to profile) on its CPU backend.</summary>
    /// <exception cref="NotSupportedException">The model does not run on the CPU kernels.</exception>
    /// <exception cref="ArgumentException">The layer is not a tensor of the model, or an option is out of range.</exception>
    public static ModelProfile Run(Model model, ProfileOptions? options = null, Action<string>? progress = null,
        CancellationToken cancellation = default)
    {
        var o = options ?? new ProfileOptions();
        if (o.Runs < 1) throw new ArgumentException($"runs must be ≥ 1; got {o.Runs}");
        if (o.Warmup < 0) throw new ArgumentException($"warm-up runs must be ≥ 0; got {o.Warmup}");
        if (model.Backend is not (null or CpuKernels))
            throw new NotSupportedException("the profiler times the CPU backend only: GPU kernels run asynchronously, so a node's time would need a device synchronisation");
        int threads = (model.Backend as CpuKernels ?? CpuKernels.Default).Threads;
        string layer = o.Layer ?? LayerSelection.Auto(model);
        if (!model.Graph.Defines(layer) && !model.RuntimeTensors.Contains(layer)) throw new ArgumentException($"the model has no tensor named '{layer}'");

        progress?.Invoke($"measuring the FMA peak on {threads} thread(s)");
        double peak = FmaPeak.Measure(threads, o.PeakSeconds);
        var flops = FlopsByNode(model);
        var timer = new NodeTimer(model.Graph.Constants.Values, Stopwatch.GetTimestamp());
        using var input = Tensor.Uniform(model.InputShape, o.Seed, -2, 2, model.DType, model.Backend);

        // forward
        progress?.Invoke("timing the forward pass");
        // a batch of independent items runs in parts (Model.BatchPartSize): the nodes of every part's build are timed
        var builds = model.ForwardBuilds();
        double forwardMs = Timed(o, timer, [.. builds.Select(m => m.Executor)], cancellation, () => model.Run(input).Dispose(), out var lastForward);
        string parts = builds[0] is var part && part != model
            ? $"; the batch of {model.BatchSize} runs in parts of {part.BatchSize} (shapes and bytes are a part's, times the sum over the parts)" : "";
        var forward = Pass("forward", o.Runs, forwardMs, timer, flops, peak, "executor overhead between nodes",
            "per graph node: the node's compute, wall clock, mean over the timed runs" + parts);
        timer.Reset();

        // head sweep: one forward keeps A and the head's side inputs, then g and H·A by forward-over-reverse of the head
        progress?.Invoke($"timing the head sweep at {layer}");
        var head = model.WithKept([layer]); // the build that materialises A (fusion may hide it otherwise)
        var headExecutor = head.Executor;
        string output = head.OutputName;
        var sides = head.Graph.SideInputs([layer], [output]);
        var kept = head.Run(input, [.. sides.Append(layer).Append(output).Distinct()]);
        var classes = LayerProbe.TopOne(LayerProbe.Logits(kept[output]));
        var given = sides.ToDictionary(s => s, s => kept[s], StringComparer.Ordinal);
        var a = kept[layer];
        Tensor U(Tensor z)
        {
            given[layer] = z;
            return Utilities.Evaluate(Utility.Rest, LayerProbe.Logits(headExecutor.Evaluate(given, [output])[output]), classes);
        }
        long sweepEnd = 0;
        double sweepMs = Timed(o, timer, [headExecutor], cancellation, () =>
        {
            var (g, hv) = Ad.GradAndHvp(U, a, a);
            g.Dispose();
            hv.Dispose();
            sweepEnd = Stopwatch.GetTimestamp();
        }, out var lastSweep);
        var sweep = Pass("head-sweep", o.Runs, sweepMs, timer, flops, peak, "reverse sweep and utility (not attributed per node)",
            "per graph node: the head's forward with tangents (primal and tangent, reverse tape recorded); GFLOP/s counts the " +
            "primal's arithmetic only; the reverse sweep runs after the graph, op by op, and is one total");
        foreach (var t in kept.Values) if (!ReferenceEquals(t, input)) t.Dispose();

        double lastNodeEnd = lastSweep.Count == 0 ? 0 : lastSweep[^1].StartUs + lastSweep[^1].DurationUs;
        double endUs = (sweepEnd - timer.Origin) * 1e6 / Stopwatch.Frequency;
        return new ModelProfile(model.InputShape, threads, peak, layer, forward, sweep)
        {
            LastForwardRuns = lastForward,
            LastHeadSweepRuns = lastSweep,
            LastHeadSweepBackward = (lastNodeEnd, Math.Max(0, endUs - lastNodeEnd)),
        };
    }

    /// <summary>
    /// Warm-up without the timer, then <see cref="ProfileOptions.Runs"/> runs with it; returns the mean wall time of
    /// a run and the node runs of the last one.
    /// </summary>
    private static double Timed(ProfileOptions o, NodeTimer timer, GraphExecutor[] executors, CancellationToken cancellation, Action run,
        out IReadOnlyList<NodeRun> last)
    {
        for (int i = 0; i < o.Warmup; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            run();
        }
        double totalMs = 0;
        foreach (var executor in executors) executor.Observer = timer;
        try
        {
            for (int i = 0; i < o.Runs; i++)
            {
                cancellation.ThrowIfCancellationRequested();
                timer.StartPass();
                long t0 = Stopwatch.GetTimestamp();
                run();
                totalMs += Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }
        }
        finally { foreach (var executor in executors) executor.Observer = null; }
        last = timer.LatestPass;
        return totalMs / o.Runs;
    }

    private static PassProfile Pass(string name, int runs, double totalMs, NodeTimer timer, IReadOnlyDictionary<string, double> flops,
        double peak, string unattributed, string note)
    {
        var nodes = new List<NodeProfile>();
        foreach (var (node, t) in timer.Totals)
        {
            double ms = t.TotalUs / runs / 1e3; // per pass, also for a node that runs more than once in one
            double f = flops.GetValueOrDefault(node.Name) + (node.Outputs.Length > 0 && node.Outputs[0] != node.Name ? flops.GetValueOrDefault(node.Outputs[0]) : 0);
            double gflops = f > 0 && ms > 0 ? f / (ms * 1e-3) / 1e9 : 0;
            nodes.Add(new NodeProfile(node.Name, node.OpType, t.InputShapes, t.OutputShapes, ms, totalMs > 0 ? ms / totalMs : 0, f, gflops,
                100 * gflops / peak, t.ActivationInputBytes + t.WeightBytes + t.OutputBytes, t.WeightBytes));
        }
        nodes.Sort((x, y) => y.MeanMs.CompareTo(x.MeanMs));
        double sum = nodes.Sum(n => n.MeanMs);
        return new PassProfile(name, runs, totalMs, sum, totalMs - sum, unattributed, nodes, note);
    }

    /// <summary>2 × multiply-adds per counted layer, by ONNX node name (or its first output's name when unnamed).</summary>
    private static Dictionary<string, double> FlopsByNode(Model model)
    {
        var d = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var l in model.Layers) d[l.Node] = d.GetValueOrDefault(l.Node) + 2.0 * l.MultiplyAdds;
        return d;
    }
}
