using System.Diagnostics;
using NativeCam.Cam;
using NativeCam.Cam.Probe;
using NativeCam.Engine;
using NativeCam.Importers.Onnx;
using NativeCam.Kernels.Cpu;

namespace NativeCam.Benchmarks;

/// <summary>
/// <c>optimizer-speed [--threads N] [--cpu-time] MODEL.onnx…</c>: the forward pass of each model imported as it is and with the
/// graph optimizer, measured in alternating rounds in one process (so machine noise hits both alike). Prints run-time
/// node counts, minimum and median ms per forward pass, and the speed-up; then the same for the layer probe
/// (forward, g and H·A at the automatic target layer: the ShapleyCAM signals).
/// </summary>
public static class OptimizerSpeed
{
    /// <summary>Runs the comparison.</summary>
    public static void Run(string[] args)
    {
        int at = Array.IndexOf(args, "--threads");
        int threads = at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1]) : 1;
        var models = args.Where((a, i) => a.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) && (at < 0 || i != at + 1)).ToArray();
        _cpuTime = args.Contains("--cpu-time");
        var backend = new CpuKernels(threads: threads);
        Console.WriteLine($"{"model",-28} {"nodes",11} {"plain min",10} {"plain med",10} {"opt min",9} {"opt med",9} {"speed-up (min)",15}");
        foreach (var path in models)
        {
            var plain = OnnxModel.Load(path, new OnnxImportOptions { Backend = backend, Optimize = false });
            var optimized = OnnxModel.Load(path, new OnnxImportOptions { Backend = backend });
            var input = Tensor.Uniform(plain.InputShape, 1, -1, 1, plain.DType, backend);
            var a = new List<double>();
            var b = new List<double>();
            for (int i = 0; i < 2; i++) { plain.Run(input).Dispose(); optimized.Run(input).Dispose(); }
            var total = Stopwatch.StartNew();
            while (a.Count < 15 || (total.Elapsed.TotalSeconds < 8 && a.Count < 200))
            {
                a.Add(Time(() => plain.Run(input).Dispose()));
                b.Add(Time(() => optimized.Run(input).Dispose()));
            }
            Print(Path.GetFileName(path), $"{plain.Graph.Nodes.Count,5}→{optimized.Graph.Nodes.Count,-5}", a, b);
            string layer = LayerSelection.Auto(plain);
            var (pp, po) = (new LayerProbe(plain), new LayerProbe(optimized));
            a.Clear();
            b.Clear();
            pp.Run(input, [layer], Utility.Logit);
            po.Run(input, [layer], Utility.Logit);
            total.Restart();
            while (a.Count < 5 || (total.Elapsed.TotalSeconds < 8 && a.Count < 100))
            {
                a.Add(Time(() => pp.Run(input, [layer], Utility.Logit)));
                b.Add(Time(() => po.Run(input, [layer], Utility.Logit)));
            }
            Print("  probe g + H·A", "", a, b);
        }
    }

    private static void Print(string name, string nodes, List<double> a, List<double> b)
    {
        a.Sort();
        b.Sort();
        Console.WriteLine($"{name,-28} {nodes,11} {a[0],10:F1} {a[a.Count / 2],10:F1} {b[0],9:F1} {b[b.Count / 2],9:F1} {a[0] / b[0],15:F2}");
    }

    /// <summary>Wall-clock ms, or with <c>--cpu-time</c> the process's CPU ms (at 1 thread less disturbed by other
    /// processes competing for the cores than the wall clock).</summary>
    private static double Time(Action run)
    {
        if (_cpuTime)
        {
            var p = Process.GetCurrentProcess();
            var c0 = p.TotalProcessorTime;
            run();
            p.Refresh();
            return (p.TotalProcessorTime - c0).TotalMilliseconds;
        }
        long t0 = Stopwatch.GetTimestamp();
        run();
        return Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    }

    private static bool _cpuTime;
}
