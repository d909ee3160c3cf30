using System.Text.Json;
using NativeCam.Benchmarks.VsOrt;
using NativeCam.Importers.Onnx;

namespace NativeCam.Benchmarks.Tests;

public class VsOrtBenchmarkTests
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

    private static string FolderWith(string file)
    {
        var dir = Path.Combine(Path.GetTempPath(), "nativecam-vs-ort-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        File.Copy(Fixture(file), Path.Combine(dir, file));
        return dir;
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = VsOrtBenchmark.RunCommand(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void JsonCellsAgreeWithOrtAndTheirFiguresFollowFromTheTimes()
    {
        var (code, stdout, stderr) = Run("--models", FolderWith("resnet18.onnx"), "--threads", "1", "--batches", "1",
            "--min-seconds", "0", "--min-runs", "2", "--warmup", "0", "--json");
        Assert.True(code == 0, stderr + stdout);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.StartsWith("1.32", root.GetProperty("ortVersion").GetString());
        double peak = root.GetProperty("peakGflops").GetProperty("1").GetDouble();
        Assert.True(peak > 0);
        var model = Assert.Single(root.GetProperty("models").EnumerateArray());
        Assert.Equal("resnet18.onnx", model.GetProperty("model").GetString());
        double gflop = ModelFlops.Flops(OnnxModel.Load(Fixture("resnet18.onnx"))) / 1e9;
        Assert.Equal(gflop, model.GetProperty("gflopPerImage").GetDouble(), 1e-12);
        var cell = Assert.Single(model.GetProperty("cells").EnumerateArray());
        Assert.True(cell.GetProperty("agree").GetBoolean());
        Assert.InRange(cell.GetProperty("maxRelativeDifference").GetDouble(), 0, 1e-4);
        var nc = cell.GetProperty("nativeCam");
        var ort = cell.GetProperty("ort");
        foreach (var t in new[] { nc, ort })
        {
            double min = t.GetProperty("minMs").GetDouble();
            Assert.True(min > 0 && min <= t.GetProperty("medianMs").GetDouble());
            Assert.Equal(2, t.GetProperty("runs").GetInt32());
            Assert.Equal(1000 / min, t.GetProperty("imagesPerSecond").GetDouble(), 1e-9 * 1000 / min);
            Assert.Equal(gflop / (min * 1e-3), t.GetProperty("gflops").GetDouble(), 1e-9 * gflop / (min * 1e-3));
            Assert.Equal(100 * t.GetProperty("gflops").GetDouble() / peak, t.GetProperty("percentOfPeak").GetDouble(), 1e-9);
        }
        Assert.Equal(nc.GetProperty("minMs").GetDouble() / ort.GetProperty("minMs").GetDouble(), cell.GetProperty("ratioMin").GetDouble(), 1e-12);
        Assert.Equal(nc.GetProperty("medianMs").GetDouble() / ort.GetProperty("medianMs").GetDouble(), cell.GetProperty("ratioMedian").GetDouble(), 1e-12);
    }

    [Fact]
    public void AFailedCellIsReportedAndFailsTheRun()
    {
        // the fixture's batch dimension is fixed at 1: ONNX Runtime refuses batch 2, and the table says so
        var (code, stdout, stderr) = Run("--models", FolderWith("mobilenet_v2.onnx"), "--threads", "1", "--batches", "2",
            "--min-seconds", "0", "--min-runs", "1", "--warmup", "0");
        Assert.Equal(1, code);
        Assert.Contains("mobilenet_v2.onnx", stdout);
        Assert.Contains(" 1     2 | ", stdout);
        var row = stdout.Split('\n').Single(l => l.StartsWith(" 1     2 | ", StringComparison.Ordinal));
        Assert.DoesNotContain("×", row);
        Assert.Contains("OnnxRuntimeException", row); // one line naming the engine that failed
        Assert.Contains("batch 2", stderr);
    }

    [Fact]
    public void UsageErrorsExitWithTwo()
    {
        var (code, _, stderr) = Run("--models");
        Assert.Equal(2, code);
        Assert.Contains("usage: vs-ort", stderr);
    }
}
