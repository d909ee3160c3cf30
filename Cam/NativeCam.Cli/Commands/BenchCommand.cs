using System.CommandLine;
using System.Globalization;
using System.Text.Json.Serialization;
using NativeCam.Cam.Diagnostics;
using NativeCam.Cli.Infrastructure;

namespace NativeCam.Cli.Commands;

/// <summary>Minimum and median latency in ms.</summary>
public sealed record LatencyMs(double Min, double Median);

/// <summary>The JSON of `bench --json` (docs/cli.md).</summary>
/// <param name="PeakWorkingSetMb">The process's peak working set after all workloads (<see cref="PeakMemory"/>), in MB.</param>
public sealed record BenchReport(string Model, int Threads, LatencyMs ForwardMs, LatencyMs GradcamMs, LatencyMs ShapleycamMs,
    LatencyMs FullHvpMs, double ForwardGflops, double PeakWorkingSetMb)
{
    /// <summary>Images per run (present when --batch is given).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Batch { get; init; }

    /// <summary>Images per second of each workload at its median (present when --batch is given).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ImagesPerSecond? ImagesPerSecond { get; init; }
}

/// <summary>Images per second of each workload at its median latency.</summary>
public sealed record ImagesPerSecond(double Forward, double Gradcam, double Shapleycam, double FullHvp);

/// <summary>
/// `nativecam bench [--model PATH] [--threads N] [--json] [--device cpu] [--batch N]`: median and minimum latency of the forward
/// pass, GradCAM, ShapleyCAM and the full-network H·v on a fixed random input (<see cref="ModelBenchmark"/>), and the
/// forward pass's GFLOP/s and the process's peak working set.
/// </summary>
public static class BenchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var model = CommonOptions.Model();
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var device = CommonOptions.Device();
        var minSeconds = new Option<double>("--min-seconds") { Description = "Time each workload at least this long (and --min-runs runs)", DefaultValueFactory = _ => 3 };
        minSeconds.Validators.Add(r =>
        {
            if (CommonOptions.TryValue<double?>(r) is double s && !(s >= 0 && s <= 3600)) r.AddError($"--min-seconds must be between 0 and 3600; got {s}");
        });
        var minRuns = new Option<int>("--min-runs") { Description = "Time each workload at least this many runs (and --min-seconds)", DefaultValueFactory = _ => 20 };
        minRuns.Validators.Add(r =>
        {
            if (CommonOptions.TryValue<int?>(r) is int n && (n < 1 || n > 100_000)) r.AddError($"--min-runs must be between 1 and 100000; got {n}");
        });
        var batch = new Option<int?>("--batch") { Description = "Images per run (every workload on a batch of N, default 1); images/s is reported" };
        batch.Validators.Add(r =>
        {
            if (CommonOptions.TryValue<int?>(r) is int n && (n < 1 || n > 1024)) r.AddError($"--batch must be between 1 and 1024; got {n}");
        });
        var command = new Command("bench",
            "Median and minimum latency of forward, GradCAM, ShapleyCAM and the full-network H·v (gradient and Hessian-vector " +
            "product of the ReST utility w.r.t. the input) on a fixed seeded random 1×3×H×W input, after 2 warm-up runs, each " +
            "timed for at least --min-seconds and --min-runs; and forward GFLOP/s (2 × the multiply-adds of every " +
            "Conv/Gemm/MatMul, counted from shapes, over the median forward time)")
        {
            model, threads, json, device, minSeconds, minRuns, batch,
        };
        var outputName = CommonOptions.OutputName();
        command.Add(outputName);
        command.SetAction(parse => Run(context, parse.GetValue(model), parse.GetValue(threads), parse.GetValue(json), parse.GetValue(device)!,
            new LatencyBenchOptions(MinSeconds: parse.GetValue(minSeconds), MinRuns: parse.GetValue(minRuns), MaxRuns: Math.Max(10_000, parse.GetValue(minRuns))),
            parse.GetValue(outputName), parse.GetValue(batch)));
        return command;
    }

    private static int Run(CliContext context, string? modelPath, int? threads, bool json, string device, LatencyBenchOptions options,
        string? outputName, int? batchOption)
    {
        int batch = batchOption ?? 1;
        var session = ModelSession.Open(modelPath, device, threads, context.Error, outputName: outputName);
        var result = ModelBenchmark.Run(session.Model, options, progress: name => context.Error.WriteLine($"timing {name}…"),
            cancellation: context.Cancellation, batch: batch);
        static LatencyMs Ms(LatencyStats s) => new(s.MinMs, s.MedianMs);
        var report = new BenchReport(session.Name, session.Threads, Ms(result.Forward), Ms(result.GradCam), Ms(result.ShapleyCam),
            Ms(result.FullHvp), result.ForwardGflops, PeakMemory.Megabytes())
        {
            Batch = batchOption,
            ImagesPerSecond = batchOption is null ? null : new ImagesPerSecond(result.ImagesPerSecond(result.Forward), result.ImagesPerSecond(result.GradCam),
                result.ImagesPerSecond(result.ShapleyCam), result.ImagesPerSecond(result.FullHvp)),
        };
        if (json)
        {
            Json.Write(context.Out, report);
            return ExitCodes.Ok;
        }
        var inv = CultureInfo.InvariantCulture;
        var o = context.Out;
        o.WriteLine($"model    {report.Model}");
        o.WriteLine($"threads  {report.Threads}");
        o.WriteLine($"layer    {result.Layer} (GradCAM and ShapleyCAM target)");
        o.WriteLine($"batch    {batch} image(s) per run");
        o.WriteLine($"{"workload",-12} {"median ms",10} {"min ms",10} {"runs",6} {"images/s",10}");
        foreach (var (name, s) in new[] { ("forward", result.Forward), ("gradcam", result.GradCam), ("shapleycam", result.ShapleyCam), ("full-hvp", result.FullHvp) })
            o.WriteLine(string.Create(inv, $"{name,-12} {s.MedianMs,10:F2} {s.MinMs,10:F2} {s.Runs,6} {result.ImagesPerSecond(s),10:F2}"));
        o.WriteLine(string.Create(inv,
            $"forward: {2.0 * result.MultiplyAdds / 1e9:F3} GFLOP per image (Conv/Gemm/MatMul), {result.ForwardGflops:F2} GFLOP/s at the median"));
        o.WriteLine(string.Create(inv, $"peak working set {report.PeakWorkingSetMb:F0} MB (the whole run: import and every workload)"));
        return ExitCodes.Ok;
    }
}
