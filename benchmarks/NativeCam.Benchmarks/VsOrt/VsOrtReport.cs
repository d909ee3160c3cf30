using System.Globalization;
using System.Text.Json;

namespace NativeCam.Benchmarks.VsOrt;

/// <summary>Prints a <see cref="VsOrtRun"/> as tables (one per model) or as one JSON document.</summary>
public static class VsOrtReport
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The JSON document (camelCase names of <see cref="VsOrtRun"/>).</summary>
    public static void WriteJson(TextWriter o, VsOrtRun run) => o.WriteLine(JsonSerializer.Serialize(run, JsonOptions));

    /// <summary>A header with the peak, then per model a table of its cells.</summary>
    public static void WriteTables(TextWriter o, VsOrtRun run)
    {
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine($"ONNX Runtime {run.OrtVersion}; {run.Processor}; FMA peak (same run) " +
            string.Join(", ", run.PeakGflops.Select(p => string.Create(inv, $"{p.Value:F1} GFLOP/s at {p.Key}T"))));
        o.WriteLine(string.Create(inv, $"each cell: ≥ {run.MinSeconds:G} s and ≥ {run.MinRuns} runs per engine, alternating; ms = min / median; " +
            $"img/s, GFLOP/s and % of peak from the min; ratio = NativeCam ÷ ORT (min, median); outputs must agree within {run.Tolerance:G2}"));
        foreach (var m in run.Models)
        {
            o.WriteLine();
            o.WriteLine(string.Create(inv, $"{m.Model}  input [{string.Join(", ", m.InputShape)}]  {m.GflopPerImage:F2} GFLOP/image  " +
                $"import {m.NativeCamImportMs:F0} ms (NativeCam) / session {m.OrtSessionMs:F0} ms (ORT)"));
            if (m.NativeCamPeakMb is { } pn && m.OrtPeakMb is { } po)
                o.WriteLine(string.Create(inv, $"peak working set (load + {PeakMemoryProbe.Runs} runs at batch 1, each engine in its own process): " +
                    $"{pn:F0} MB (NativeCam) / {po:F0} MB (ORT), ratio {pn / po:F2}×"));
            else if (m.MemoryError is { } why) o.WriteLine($"peak working set: {why}");
            o.WriteLine($"{"T",2} {"batch",5} | {"NativeCam ms",17} {"img/s",7} {"GFLOP/s",8} {"%pk",5} | {"ORT ms",17} {"img/s",7} {"GFLOP/s",8} {"%pk",5} | {"ratio",12} | {"max rel diff",12}");
            foreach (var c in m.Cells)
            {
                if (c.NativeCam is not { } a || c.Ort is not { } b)
                {
                    o.WriteLine(string.Create(inv, $"{c.Threads,2} {c.Batch,5} | {c.Error}"));
                    continue;
                }
                o.WriteLine(string.Create(inv,
                    $"{c.Threads,2} {c.Batch,5} | {a.MinMs,8:F2} / {a.MedianMs,6:F1} {a.ImagesPerSecond,7:F1} {a.Gflops,8:F1} {a.PercentOfPeak,5:F1} | " +
                    $"{b.MinMs,8:F2} / {b.MedianMs,6:F1} {b.ImagesPerSecond,7:F1} {b.Gflops,8:F1} {b.PercentOfPeak,5:F1} | " +
                    $"{c.RatioMin,5:F2}× {c.RatioMedian,4:F2}× | {c.MaxRelativeDifference,12:G3}"));
            }
        }
    }
}
