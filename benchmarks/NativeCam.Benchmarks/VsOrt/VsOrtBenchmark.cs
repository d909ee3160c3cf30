using System.Diagnostics;
using System.Runtime.Intrinsics;
using NativeCam.Cam.Diagnostics;
using NativeCam.Engine;
using NativeCam.Engine.Graph;
using NativeCam.Importers.Onnx;
using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;

namespace NativeCam.Benchmarks.VsOrt;

/// <summary>
/// NativeCam against ONNX Runtime, in one process, on every model of a folder: per thread count and batch size the
/// same file, the same seeded random input (uniform in [−2, 2]) and the same thread count for both; the outputs are
/// compared first (a cell whose outputs disagree is not timed), then the two engines run alternately
/// (<see cref="AlternatingTimer"/>). GFLOP/s and % of the FMA peak measured at the start of the run come with every
/// timing. Each engine's peak working set is measured apart, in a process of its own (<see cref="PeakMemoryProbe"/>).
/// </summary>
public static class VsOrtBenchmark
{
    private const int Seed = 0;

    /// <summary>Runs <c>vs-ort</c>; returns the process exit code (0: every cell agreed and ran; 1: otherwise; 2: bad usage).</summary>
    public static int RunCommand(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        VsOrtOptions options;
        IReadOnlyList<string> files;
        try
        {
            options = VsOrtOptions.Parse(args);
            files = options.ModelFiles();
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            stderr.WriteLine($"usage: {VsOrtOptions.Usage}");
            return 2;
        }
        var run = Run(options, files, stderr);
        if (options.Json) VsOrtReport.WriteJson(stdout, run);
        else VsOrtReport.WriteTables(stdout, run);
        return run.Models.SelectMany(m => m.Cells).All(c => c.Agree && c.Error is null) ? 0 : 1;
    }

    /// <summary>Measures every file; progress on <paramref name="log"/>.</summary>
    public static VsOrtRun Run(VsOrtOptions options, IReadOnlyList<string> files, TextWriter log)
    {
        var peak = new Dictionary<string, double>();
        foreach (int t in options.Threads)
        {
            peak[t.ToString(System.Globalization.CultureInfo.InvariantCulture)] = FmaPeak.Measure(t, 0.8);
            log.WriteLine($"FMA peak at {t} thread(s): {peak[t.ToString(System.Globalization.CultureInfo.InvariantCulture)]:F1} GFLOP/s");
        }
        var models = new List<VsOrtModel>();
        foreach (var file in files) models.Add(Model(options, file, peak, log));
        string processor = $"{(Vector512.IsHardwareAccelerated ? "AVX-512" : Vector256.IsHardwareAccelerated ? "AVX2" : "scalar")}, {Environment.ProcessorCount} logical processors";
        return new VsOrtRun(OrtPeer.Version, processor, peak, options.MinSeconds, options.MinRuns, options.Tolerance, models);
    }

    private static VsOrtModel Model(VsOrtOptions o, string file, IReadOnlyDictionary<string, double> peak, TextWriter log)
    {
        string name = Path.GetFileName(file);
        var cells = new List<VsOrtCell>();
        int[] shape1 = [];
        double gflop = double.NaN, importMs = double.NaN, sessionMs = double.NaN;
        foreach (int t in o.Threads)
        {
            Model model1;
            OrtPeer ort;
            try
            {
                long t0 = Stopwatch.GetTimestamp();
                model1 = OnnxModel.Load(file, new OnnxImportOptions { Backend = new CpuKernels(threads: t) });
                double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                t0 = Stopwatch.GetTimestamp();
                ort = new OrtPeer(file, t);
                if (double.IsNaN(importMs)) (importMs, sessionMs) = (ms, Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
            catch (Exception e)
            {
                log.WriteLine($"{name}: {t} thread(s): cannot load: {e.Message}");
                cells.AddRange(o.Batches.Select(b => Failed(t, b, $"load: {e.GetType().Name}: {OneLine(e.Message)}")));
                continue;
            }
            using (ort)
            {
                shape1 = model1.InputShape;
                if (double.IsNaN(gflop)) gflop = ModelFlops.Flops(model1) / 1e9;
                foreach (int b in o.Batches)
                {
                    log.WriteLine($"{name}: {t} thread(s), batch {b}…");
                    VsOrtCell cell;
                    try { cell = Cell(o, model1, ort, t, b, peak[t.ToString(System.Globalization.CultureInfo.InvariantCulture)]); }
                    catch (Exception e) { cell = Failed(t, b, $"{e.GetType().Name}: {OneLine(e.Message)}"); }
                    if (cell.Error is not null) log.WriteLine($"  {cell.Error}");
                    cells.Add(cell);
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                }
            }
        }
        var result = new VsOrtModel(name, shape1, gflop, importMs, sessionMs, cells);
        return o.Memory ? WithPeaks(result, file, o.Threads[0], log) : result;
    }

    /// <summary>Each engine's peak working set on <paramref name="file"/>, each in a process of its own.</summary>
    private static VsOrtModel WithPeaks(VsOrtModel model, string file, int threads, TextWriter log)
    {
        log.WriteLine($"{model.Model}: peak working set, each engine in its own process…");
        var (nc, ncError) = PeakMemoryProbe.Measure("nativecam", file, threads);
        var (rt, rtError) = PeakMemoryProbe.Measure("ort", file, threads);
        var error = string.Join("; ", new[] { ncError, rtError }.Where(e => e is not null));
        if (error.Length > 0) log.WriteLine($"  {error}");
        return model with { NativeCamPeakMb = nc / 1e6, OrtPeakMb = rt / 1e6, MemoryError = error.Length > 0 ? error : null };
    }

    private static string OneLine(string message) =>
        string.Join("; ", message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static VsOrtCell Failed(int threads, int batch, string error) => new(threads, batch, null, null, null, null, null, false, error);

    private static VsOrtCell Cell(VsOrtOptions o, Model model1, OrtPeer ort, int threads, int batch, double peak)
    {
        var shape = (int[])model1.InputShape.Clone();
        shape[0] = batch;
        var model = batch == model1.InputShape[0] ? model1 : model1.ForBatch(batch);
        using var input = Tensor.Uniform(shape, Seed, -2, 2, DType.Float32, model.Backend);
        var data = Array.ConvertAll(input.ToArray(), v => (float)v);
        using var ortInput = OrtPeer.Input(data, shape);

        // agreement first: a fast wrong answer is not a result
        double[] ours;
        using (var y = model.Run(input)) ours = y.ToArray();
        var theirs = ort.Run(ortInput, copy: true)!;
        double diff = Agreement.MaxRelativeDifference(ours, theirs);
        if (!Agreement.Agrees(diff, o.Tolerance))
            return new VsOrtCell(threads, batch, null, null, null, null, diff, false,
                $"outputs disagree: max relative difference {diff:G3} > tolerance {o.Tolerance:G3}; not timed");

        var (nc, rt) = AlternatingTimer.Measure(() => model.Run(input).Dispose(), () => ort.Run(ortInput), o.Warmup, o.MinSeconds, o.MinRuns);
        double flops = ModelFlops.Flops(model);
        var a = Timing(nc, batch, flops, peak);
        var b = Timing(rt, batch, flops, peak);
        return new VsOrtCell(threads, batch, a, b, a.MinMs / b.MinMs, a.MedianMs / b.MedianMs, diff, true, null);
    }

    private static EngineTiming Timing(double[] ms, int batch, double flops, double peak)
    {
        var s = LatencyBench.Summarize(ms);
        double gflops = flops / (s.MinMs * 1e-3) / 1e9;
        return new EngineTiming(s.MinMs, s.MedianMs, s.Runs, batch / (s.MinMs * 1e-3), gflops, 100 * gflops / peak);
    }
}
