using System.Globalization;
using System.Text;
using NativeCam.Kernels.Cpu;

namespace NativeCam.Benchmarks;

/// <summary>
/// The fast report: FMA peak and DRAM copy bandwidth on 1 and 2 threads, then each case at 1 and 2 threads as the
/// best of repeated runs, printed as one JSON document (or a table). Memory-bound cases (depthwise) are also rated
/// against the copy bandwidth measured in the same run over a working set of their own size; every case gets its
/// 2-thread speed-up over 1 thread.
/// </summary>
public static class KernelReport
{
    private sealed record Row(string Name, int Threads, double Wall, double Cpu, double Flops, double Bytes, double BwWall, double BwCpu);

    /// <summary>Measures and prints (all cases, or only the one named).</summary>
    public static void Run(bool json, string? only = null, int[]? threadCounts = null)
    {
        threadCounts ??= [1, 2];
        var peak = threadCounts.ToDictionary(t => t, t => PeakFlops.Measure(t));
        var dram = threadCounts.ToDictionary(t => t, t => Bandwidth.Measure(256e6, t, 1.0));
        var rows = new List<Row>();
        foreach (int threads in threadCounts)
        {
            var k = new CpuKernels(SimdLevel.Auto, threads);
            foreach (var name in BenchCase.Names)
            {
                if (only is not null && !name.StartsWith(only, StringComparison.Ordinal)) continue;
                var c = BenchCase.Create(name, k);
                var g = Timing.BestGflops(c.Run, c.Flops, threads, 1.0);
                var bw = c.MemoryBound ? Bandwidth.Measure(c.Bytes, threads) : (0, 0);
                var r = new Row(name, threads, g.Wall, g.Cpu, c.Flops, c.Bytes, bw.Item1, bw.Item2);
                rows.Add(r);
                if (!json) Console.WriteLine(Line(r, peak[threads], rows));
            }
        }
        if (!json)
        {
            foreach (int t in threadCounts)
                Console.WriteLine($"{t}T: FMA peak wall {peak[t].Wall:F1} cpu {peak[t].Cpu:F1} GFLOP/s; DRAM copy wall {dram[t].Wall:F1} cpu {dram[t].Cpu:F1} GB/s");
            return;
        }
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("{");
        foreach (int t in threadCounts)
        {
            sb.Append(inv, $"\"peakGflops{t}T\":{peak[t].Wall:F1},\"peakGflopsCpuTime{t}T\":{peak[t].Cpu:F1},");
            sb.Append(inv, $"\"dramCopyGBs{t}T\":{dram[t].Wall:F1},\"dramCopyGBsCpuTime{t}T\":{dram[t].Cpu:F1},");
        }
        sb.Append("\"cases\":[");
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var pk = peak[r.Threads];
            if (i > 0) sb.Append(',');
            sb.Append(inv, $"{{\"name\":\"{r.Name}\",\"threads\":{r.Threads},\"gflops\":{r.Wall:F1},\"percentOfPeak\":{100 * r.Wall / pk.Wall:F1},");
            sb.Append(inv, $"\"gflopsCpuTime\":{r.Cpu:F1},\"percentOfPeakCpuTime\":{100 * r.Cpu / pk.Cpu:F1}");
            var one = rows.Find(o => o.Name == r.Name && o.Threads == 1);
            if (r.Threads != 1 && one is not null) sb.Append(inv, $",\"speedupOver1T\":{r.Wall / one.Wall:F2}");
            if (r.BwWall > 0)
            {
                sb.Append(inv, $",\"gbs\":{Gbs(r, r.Wall):F1},\"copyGBs\":{r.BwWall:F1},\"percentOfBandwidthBound\":{100 * Gbs(r, r.Wall) / r.BwWall:F1}");
                sb.Append(inv, $",\"gbsCpuTime\":{Gbs(r, r.Cpu):F1},\"copyGBsCpuTime\":{r.BwCpu:F1},\"percentOfBandwidthBoundCpuTime\":{100 * Gbs(r, r.Cpu) / r.BwCpu:F1}");
            }
            sb.Append('}');
        }
        sb.Append("]}");
        Console.WriteLine(sb.ToString());
    }

    /// <summary>GB/s of a case from its GFLOP/s: its bytes over its time (time = flops / rate).</summary>
    private static double Gbs(Row r, double gflops) => r.Bytes * gflops / r.Flops;

    private static string Line(Row r, (double Wall, double Cpu) pk, List<Row> rows)
    {
        var one = rows.Find(o => o.Name == r.Name && o.Threads == 1);
        string s = $"{r.Name,-24} {r.Threads}T wall {r.Wall,7:F1} GFLOP/s {100 * r.Wall / pk.Wall,6:F1}%   cpu {r.Cpu,7:F1} {100 * r.Cpu / pk.Cpu,6:F1}%";
        if (r.Threads != 1 && one is not null) s += $"  ×{r.Wall / one.Wall:F2} over 1T";
        if (r.BwWall > 0) s += $"  | {Gbs(r, r.Wall),6:F1} GB/s = {100 * Gbs(r, r.Wall) / r.BwWall,5:F1}% of copy {r.BwWall:F1} (cpu {100 * Gbs(r, r.Cpu) / r.BwCpu:F1}%)";
        return s;
    }
}
