using NativeCam.Cam;
using NativeCam.Cli.Tests.Support;
using NativeCam.Importers.Onnx;
using NativeCam.Importers;

namespace NativeCam.Cli.Tests;

public class BenchTests
{
    [Fact]
    public void JsonHasTheContractShapeAndConsistentFigures()
    {
        var (code, stdout, stderr) = Tool.Run("bench", "--json", "--threads", "1", "--min-seconds", "0", "--min-runs", "2");
        Assert.True(code == 0, stderr + stdout);
        var doc = Tool.Json(stdout);
        Assert.Equal(["model", "threads", "forwardMs", "gradcamMs", "shapleycamMs", "fullHvpMs", "forwardGflops", "peakWorkingSetMb"],
            doc.EnumerateObject().Select(p => p.Name));
        Assert.Equal(DefaultModel.Name, doc.GetProperty("model").GetString());
        Assert.Equal(1, doc.GetProperty("threads").GetInt32());
        foreach (var key in new[] { "forwardMs", "gradcamMs", "shapleycamMs", "fullHvpMs" })
        {
            var t = doc.GetProperty(key);
            Assert.Equal(["min", "median"], t.EnumerateObject().Select(p => p.Name));
            double min = t.GetProperty("min").GetDouble(), median = t.GetProperty("median").GetDouble();
            Assert.True(min > 0 && min <= median, $"{key}: min {min}, median {median}");
        }
        // GFLOP/s = 2 × multiply-adds (counted independently here) / median forward seconds
        long macs = ModelFlops.MultiplyAdds(DefaultModel.Load());
        double medianMs = doc.GetProperty("forwardMs").GetProperty("median").GetDouble();
        Assert.Equal(2.0 * macs / (medianMs * 1e-3) / 1e9, doc.GetProperty("forwardGflops").GetDouble(), 1e-9 * doc.GetProperty("forwardGflops").GetDouble());
        // the process holds the model's weights (float32, one copy) resident, at least
        double weightsMb = DefaultModel.Load().Graph.Constants.Values.Sum(t => 4.0 * t.Shape.Aggregate(1L, (p, d) => p * d)) / 1e6;
        Assert.InRange(doc.GetProperty("peakWorkingSetMb").GetDouble(), weightsMb, 1e6);
    }

    [Fact]
    public void TextShowsEveryWorkloadAndGflops()
    {
        var (code, stdout, stderr) = Tool.Run("bench", "--model", Tool.FloatModel, "--min-seconds", "0", "--min-runs", "1");
        Assert.True(code == 0, stderr + stdout);
        foreach (var w in new[] { "forward", "gradcam", "shapleycam", "full-hvp", "GFLOP/s" }) Assert.Contains(w, stdout);
        Assert.DoesNotContain("%", stdout);
    }

    [Theory]
    [InlineData("--threads", "0", 2)]
    [InlineData("--min-seconds", "-1", 2)]
    [InlineData("--min-runs", "0", 2)]
    [InlineData("--device", "gpu", 1)]
    public void BadOptions(string option, string value, int expected)
    {
        if (value == "gpu" && NativeCam.Kernels.Gpu.IlgpuKernels.IsCudaAvailable) return; // not an error where CUDA exists
        var args = new List<string> { "bench", option, value };
        if (option != "--min-seconds") args.AddRange(["--min-seconds", "0"]);
        if (option != "--min-runs") args.AddRange(["--min-runs", "1"]);
        var (code, _, stderr) = Tool.Run([.. args]);
        Assert.True(code == expected, stderr);
    }
}
