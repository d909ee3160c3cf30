using System.Text.Json;
using NativeCam.Benchmarks.VsOrt;
using NativeCam.Importers.Onnx;

namespace NativeCam.Benchmarks.Tests;

/// <summary>vs-ort's peak working sets: each engine in a child process of its own, reported beside the timings.</summary>
public class PeakMemoryTests
{
    private static string Fixture(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "models", file);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"tests/fixtures/models/{file} was not found above {AppContext.BaseDirectory}");
    }

    /// <summary>The model's weights in MB as float32: a process that ran the model held at least these.</summary>
    private static double WeightsMb(string file) =>
        OnnxModel.Load(file).Graph.Constants.Values.Sum(t => 4.0 * t.Shape.Aggregate(1L, (p, d) => p * d)) / 1e6;

    [Theory]
    [InlineData("nativecam")]
    [InlineData("ort")]
    public void AChildProcessReportsItsOwnPeakAboveTheWeights(string engine)
    {
        var file = Fixture("resnet18.onnx");
        var (bytes, error) = PeakMemoryProbe.Measure(engine, file, threads: 1);
        Assert.True(error is null, error);
        // above the weights and the runtime, far below this machine's memory
        Assert.InRange(bytes!.Value / 1e6, WeightsMb(file) + 10, 16_000);
    }

    [Fact]
    public void VsOrtReportsBothPeaksUnlessToldNot()
    {
        var dir = Path.Combine(Path.GetTempPath(), "nativecam-peak-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        File.Copy(Fixture("resnet18.onnx"), Path.Combine(dir, "resnet18.onnx"));
        foreach (bool memory in new[] { true, false })
        {
            var o = new StringWriter();
            var e = new StringWriter();
            string[] args = ["--models", dir, "--threads", "1", "--batches", "1", "--min-seconds", "0", "--min-runs", "1", "--warmup", "0", "--json"];
            int code = VsOrtBenchmark.RunCommand(memory ? args : [.. args, "--no-memory"], o, e);
            Assert.True(code == 0, e.ToString() + o);
            using var doc = JsonDocument.Parse(o.ToString());
            var model = Assert.Single(doc.RootElement.GetProperty("models").EnumerateArray());
            foreach (var key in new[] { "nativeCamPeakMb", "ortPeakMb" })
                if (memory) Assert.True(model.GetProperty(key).GetDouble() > WeightsMb(Path.Combine(dir, "resnet18.onnx")), key);
                else Assert.Equal(JsonValueKind.Null, model.GetProperty(key).ValueKind);
        }
    }

    [Fact]
    public void TheChildModeRefusesBadArguments()
    {
        var e = new StringWriter();
        Assert.Equal(2, PeakMemoryProbe.RunChild(["tensorflow", "x.onnx", "1"], new StringWriter(), e));
        Assert.Contains("usage", e.ToString());
        Assert.Equal(2, PeakMemoryProbe.RunChild(["ort", "x.onnx", "0"], new StringWriter(), new StringWriter()));
    }
}
