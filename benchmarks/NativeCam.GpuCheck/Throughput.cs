using System.Diagnostics;
using NativeCam.Cam;
using NativeCam.Engine;
using NativeCam.Kernels;

namespace NativeCam.GpuCheck;

/// <summary>One cell of the throughput table.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Kind">"forward" (logits) or "shapleycam" (a full explanation: probe with H·A, weights, post-processing).</param>
/// <param name="Batch">Images per call.</param>
/// <param name="ImagesPerSecond">Images explained or classified per second over the timed runs (NaN: not measured).</param>
/// <param name="MsPerBatch">Median wall time of one call, ms.</param>
/// <param name="Runs">Timed calls.</param>
/// <param name="Error">Why the cell was not measured (null when it was).</param>
public sealed record ThroughputCell(string Model, string Kind, int Batch, double ImagesPerSecond, double MsPerBatch, int Runs, string? Error);

/// <summary>
/// Forward and ShapleyCAM throughput per batch size. The model is imported once per batch size outside the timing
/// (an import runs an example forward pass); each cell has one or two warm-up calls (kernel compilation), then calls
/// for about the given seconds (at least one; none starts after the step's deadline). Every call ends with the results on the host (logits or maps), so the device has finished.
/// </summary>
public static class Throughput
{
    /// <summary>Measures every batch of one model until <paramref name="deadline"/>; cells after it are reported as not run.</summary>
    public static List<ThroughputCell> Measure(CheckModel m, IKernels device, IReadOnlyList<int> batches, double seconds, DateTime deadline, TextWriter log)
    {
        var cells = new List<ThroughputCell>();
        Explainer explainer;
        try { explainer = new Explainer(m.Load(device)); }
        catch (Exception e)
        {
            string error = $"{e.GetType().Name}: {e.Message}";
            foreach (int b in batches) cells.AddRange(Failed(m.Name, b, error));
            return cells;
        }
        var options = new ExplainOptions { Methods = ["shapleycam"], Layers = m.Layer is null ? [] : [m.Layer] };
        foreach (int b in batches)
        {
            if (DateTime.UtcNow > deadline) { cells.AddRange(Failed(m.Name, b, "not run: the step's time cap was reached")); continue; }
            try
            {
                var model = explainer.ForBatch(b);
                int[] shape = [b, .. m.InputShape[1..]];
                using var input = Tensor.FromArray(CheckModel.RandomInput(shape.Aggregate(1, (p, v) => p * v), 1000 + b), shape, device);
                cells.Add(Time(m.Name, "forward", b, seconds, deadline, () => { using var y = model.Run(input); _ = y.ToFloatArray(); }));
                log.WriteLine($"  {Format(cells[^1])}");
                cells.Add(DateTime.UtcNow > deadline
                    ? new ThroughputCell(m.Name, "shapleycam", b, double.NaN, double.NaN, 0, "not run: the step's time cap was reached")
                    : Time(m.Name, "shapleycam", b, seconds, deadline, () => _ = explainer.Explain(input, options)));
                log.WriteLine($"  {Format(cells[^1])}");
            }
            catch (Exception e)
            {
                string error = $"{e.GetType().Name}: {e.Message}";
                cells.RemoveAll(c => c.Model == m.Name && c.Batch == b);
                cells.AddRange(Failed(m.Name, b, error));
                log.WriteLine($"  {m.Name} batch {b}: {error}");
            }
            GC.Collect(); // device buffers still referenced by finished results are released before the next cell
            GC.WaitForPendingFinalizers();
        }
        return cells;
    }

    /// <summary>One line of the table.</summary>
    public static string Format(ThroughputCell c) => c.Error is null
        ? $"{c.Model,-18} {c.Kind,-10} batch {c.Batch,3}: {Rate(c.ImagesPerSecond),10} images/s  ({c.MsPerBatch:F2} ms per call, {c.Runs} runs)"
        : $"{c.Model,-18} {c.Kind,-10} batch {c.Batch,3}: {c.Error}";

    /// <summary>Images/s with one decimal, or three significant digits below 1.</summary>
    public static string Rate(double v) => v >= 1 ? v.ToString("F1") : v.ToString("G3");

    private static ThroughputCell Time(string model, string kind, int batch, double seconds, DateTime deadline, Action call)
    {
        // warm-up: kernels compile on the first call; a second one unless a call is slow or the cap is near
        long w0 = Stopwatch.GetTimestamp();
        call();
        if (Stopwatch.GetElapsedTime(w0).TotalSeconds < seconds / 4 && DateTime.UtcNow < deadline) call();
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 1 || (total.Elapsed.TotalSeconds < seconds && DateTime.UtcNow < deadline))
        {
            long t0 = Stopwatch.GetTimestamp();
            call();
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            if (times.Count >= 10_000) break;
        }
        double elapsed = times.Sum() / 1e3;
        times.Sort();
        return new ThroughputCell(model, kind, batch, batch * times.Count / elapsed, times[times.Count / 2], times.Count, null);
    }

    private static IEnumerable<ThroughputCell> Failed(string model, int batch, string error) =>
        [new(model, "forward", batch, double.NaN, double.NaN, 0, error), new(model, "shapleycam", batch, double.NaN, double.NaN, 0, error)];
}
