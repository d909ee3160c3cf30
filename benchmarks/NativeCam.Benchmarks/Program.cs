using BenchmarkDotNet.Running;
using NativeCam.Benchmarks.VsOrt;

namespace NativeCam.Benchmarks;

/// <summary>Entry point: <c>kernels [--json] [--case PREFIX] [--threads 1,2]</c> runs the fast GFLOP/s and GB/s report; <c>explain-speed [IMAGE]</c> compares a ShapleyCAM explanation with the forward pass; <c>vs-ort --models DIR [--json]</c> runs NativeCam and ONNX Runtime side by side (<see cref="VsOrtBenchmark"/>; it starts <c>peak-memory ENGINE FILE THREADS</c> children for the peak working sets); <c>optimizer-speed [--threads N] MODEL…</c> times the forward pass with and without the graph optimizer; anything else goes to BenchmarkDotNet.</summary>
public static class Program
{
    /// <summary>Runs the benchmarks.</summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "kernels")
        {
            int at = Array.IndexOf(args, "--case");
            int tt = Array.IndexOf(args, "--threads");
            int[]? threads = tt >= 0 && tt + 1 < args.Length ? args[tt + 1].Split(',').Select(int.Parse).ToArray() : null;
            KernelReport.Run(json: args.Contains("--json"), only: at >= 0 && at + 1 < args.Length ? args[at + 1] : null, threads);
            return 0;
        }
        if (args.Length > 0 && args[0] == "explain-speed")
        {
            ExplainSpeed.Run(args.Length > 1 ? args[1] : Path.Combine("Cam", "samples", "coffee.png"));
            return 0;
        }
        if (args.Length > 0 && args[0] == PeakMemoryProbe.Command)
            return PeakMemoryProbe.RunChild(args[1..], Console.Out, Console.Error);
        if (args.Length > 0 && args[0] == "vs-ort")
            return VsOrtBenchmark.RunCommand(args[1..], Console.Out, Console.Error);
        if (args.Length > 0 && args[0] == "optimizer-speed")
        {
            OptimizerSpeed.Run(args[1..]);
            return 0;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
