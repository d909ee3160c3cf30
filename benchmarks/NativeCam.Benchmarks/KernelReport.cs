using System.Globalization;
using System.Text;
using NativeCam.Kernels.Cpu;

namespace NativeCam.Benchmarks;

/// <summary>
/// The fast report: FMA peak on 1 and 2 threads, then each case at 1 and 2 threads as the best of repeated runs,
/// printed as one JSON document (or a table).
/// </summary>
public static class KernelReport
{
    /// <summary>Measures and prints (all cases, or only the one named).</summary>
    public static void Run(bool json, string? only = null)
    {
        var peak1 = PeakFlops.Measure(1);
        var peak2 = PeakFlops.Measure(2);
        var rows = new List<(string Name, int Threads, double Wall, double Cpu)>();
        foreach (int threads in new[] { 1, 2 })
        {
            var k = new CpuKernels(SimdLevel.Auto, threads);
            foreach (var name in BenchCase.Names)
            {
                if (only is not null && name != only) continue;
                var c = BenchCase.Create(name, k);
                var g = Timing.BestGflops(c.Run, c.Flops, threads, 1.0);
                rows.Add((name, threads, g.Wall, g.Cpu));
                var pk = threads == 1 ? peak1 : peak2;
                if (!json)
                    Console.WriteLine($"{name,-24} {threads}T wall {g.Wall,7:F1} GFLOP/s {100 * g.Wall / pk.Wall,6:F1}%   cpu {g.Cpu,7:F1} {100 * g.Cpu / pk.Cpu,6:F1}%");
            }
        }
        if (!json)
        {
            Console.WriteLine($"peak 1T wall {peak1.Wall:F1} cpu {peak1.Cpu:F1}   2T wall {peak2.Wall:F1} cpu {peak2.Cpu:F1} GFLOP/s");
            return;
        }
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"{{\"peakGflops1T\":{peak1.Wall:F1},\"peakGflops2T\":{peak2.Wall:F1},");
        sb.Append(inv, $"\"peakGflopsCpuTime1T\":{peak1.Cpu:F1},\"peakGflopsCpuTime2T\":{peak2.Cpu:F1},\"cases\":[");
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var pk = r.Threads == 1 ? peak1 : peak2;
            if (i > 0) sb.Append(',');
            sb.Append(inv, $"{{\"name\":\"{r.Name}\",\"threads\":{r.Threads},\"gflops\":{r.Wall:F1},\"percentOfPeak\":{100 * r.Wall / pk.Wall:F1},");
            sb.Append(inv, $"\"gflopsCpuTime\":{r.Cpu:F1},\"percentOfPeakCpuTime\":{100 * r.Cpu / pk.Cpu:F1}}}");
        }
        sb.Append("]}");
        Console.WriteLine(sb.ToString());
    }
}
