using System.Text.Encodings.Web;
using System.Text.Json;

namespace NativeCam.GpuCheck;

/// <summary>Writes the check's results as JSON (by hand, so that nothing depends on reflection-based serialization).</summary>
public static class JsonReport
{
    /// <summary>Writes the report to <paramref name="path"/>.</summary>
    public static void Write(string path, CheckOptions o, string accelerator, KernelTableResult? kernels,
        IReadOnlyList<ModelComparisonResult>? models, IReadOnlyList<ThroughputCell>? throughput, bool passed, double seconds)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteString("device", o.Device);
        w.WriteString("accelerator", accelerator);
        w.WriteBoolean("passed", passed);
        Number(w, "seconds", seconds);
        if (kernels is not null)
        {
            w.WriteStartObject("kernels");
            w.WriteString("backend", kernels.Backend);
            w.WriteBoolean("passed", kernels.Passed);
            w.WriteNumber("cases", kernels.Cases.Count);
            w.WriteNumber("failed", kernels.Cases.Count(c => !c.Passed));
            w.WriteNumber("notRun", kernels.NotRun);
            if (kernels.Problem is not null) w.WriteString("problem", kernels.Problem);
            Number(w, "seconds", kernels.Cases.Sum(c => c.Seconds));
            w.WriteStartArray("failures");
            foreach (var c in kernels.Cases.Where(c => !c.Passed))
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteString("error", c.Error);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        if (models is not null)
        {
            w.WriteStartObject("models");
            Number(w, "tolerance", o.Tolerance);
            w.WriteStartArray("results");
            foreach (var m in models)
            {
                w.WriteStartObject();
                w.WriteString("model", m.Model);
                w.WriteBoolean("passed", m.Passed(o.Tolerance));
                Number(w, "logitsMaxRelError", m.LogitsError);
                Number(w, "shapleycamMaxRelError", m.MapError);
                Number(w, "seconds", m.Seconds);
                if (m.Error is not null) w.WriteString("error", m.Error);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        if (throughput is not null)
        {
            w.WriteStartArray("throughput");
            foreach (var c in throughput)
            {
                w.WriteStartObject();
                w.WriteString("model", c.Model);
                w.WriteString("kind", c.Kind);
                w.WriteNumber("batch", c.Batch);
                Number(w, "imagesPerSecond", c.ImagesPerSecond);
                Number(w, "msPerCall", c.MsPerBatch);
                w.WriteNumber("runs", c.Runs);
                if (c.Error is not null) w.WriteString("error", c.Error);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    /// <summary>A number, or null when it is not finite (JSON has no NaN or ∞).</summary>
    private static void Number(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v)) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }
}
