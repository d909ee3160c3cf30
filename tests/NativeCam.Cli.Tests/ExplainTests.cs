using NativeCam.Cli.Tests.Support;
using SixLabors.ImageSharp;

namespace NativeCam.Cli.Tests;

public class ExplainTests
{
    [Fact]
    public void WritesOverlaysRawMapsSignalsAndJson()
    {
        var dir = Tool.TempDir();
        var (code, stdout, stderr) = Tool.Run("explain", Tool.Sample("coffee.png"), "--model", Tool.FloatModel, "--method", "shapleycam,gradcam",
            "--raw", "--signals", "--json", "--output", dir);
        Assert.True(code == 0, stderr);
        var doc = Tool.Json(stdout);
        Assert.Equal("627", doc.GetProperty("layers")[0].GetString());
        Assert.Equal("rest", doc.GetProperty("utility").GetString());
        var img = Assert.Single(doc.GetProperty("images").EnumerateArray());
        Assert.Equal(967, img.GetProperty("class").GetInt32());
        Assert.Equal("espresso", img.GetProperty("className").GetString());
        var top5 = img.GetProperty("top5").EnumerateArray().ToList();
        Assert.Equal(5, top5.Count);
        Assert.Equal(967, top5[0].GetProperty("class").GetInt32());
        var p = top5.Select(t => t.GetProperty("probability").GetDouble()).ToList();
        Assert.Equal(p.OrderByDescending(v => v), p);
        Assert.True(p.Sum() <= 1 + 1e-6 && p[0] > 0.9);

        var methods = img.GetProperty("methods").EnumerateArray().ToList();
        Assert.Equal(["shapleycam", "gradcam"], methods.Select(m => m.GetProperty("method").GetString()));
        foreach (var m in methods)
        {
            var overlay = m.GetProperty("overlay").GetString()!;
            Assert.Equal(Path.Combine(dir, $"coffee.{m.GetProperty("method").GetString()}.png"), overlay);
            var info = Image.Identify(overlay);
            Assert.Equal((600, 400), (info.Width, info.Height)); // drawn on the original photo
            Assert.True(m.GetProperty("seconds").GetDouble() >= 0);

            var (header, data) = Tool.ReadNpy(m.GetProperty("raw").GetString()!);
            Assert.Contains("'descr': '<f4'", header);
            Assert.Contains("'fortran_order': False", header);
            Assert.Contains("'shape': (224, 224)", header);
            Assert.Equal(224 * 224, data.Length);
            Assert.All(data, v => Assert.InRange(v, 0f, 1f));
            Assert.True(data.Max() > 0.99f && data.Min() == 0f, "the reference min-max spans [0, 1]");
        }

        var signals = img.GetProperty("signals");
        foreach (var kind in new[] { "activations", "gradients", "hvp" })
        {
            var (h, d) = Tool.ReadNpy(signals.GetProperty(kind).GetString()!);
            Assert.Contains("'shape': (1280, 7, 7)", h);
            Assert.Equal(1280 * 49, d.Length);
        }
        var (lh, logits) = Tool.ReadNpy(signals.GetProperty("logits").GetString()!);
        Assert.Contains("'shape': (1000,)", lh);
        Assert.Equal(967, Array.IndexOf(logits, logits.Max()));
        // the activations are a Clip(0, 6) output
        Assert.All(Tool.ReadNpy(signals.GetProperty("activations").GetString()!).Data, v => Assert.InRange(v, 0f, 6f));
    }

    [Fact]
    public void ExplainsARequestedClassAndPrintsText()
    {
        var dir = Tool.TempDir();
        var (code, stdout, stderr) = Tool.Run("explain", Tool.Sample("chelsea.png"), "--model", Tool.FloatModel, "--class", "281",
            "--method", "gradcam", "--utility", "logit", "--image-weight", "0.3", "--threads", "1", "--output", dir);
        Assert.True(code == 0, stderr);
        Assert.Contains("class 281 tabby", stdout);
        Assert.True(File.Exists(Path.Combine(dir, "chelsea.gradcam.png")));
        Assert.Equal(["chelsea.gradcam.png"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void DeviceAutoFallsBackToCpuWithoutCudaAndGpuWithoutCudaIsARuntimeError()
    {
        if (NativeCam.Kernels.Gpu.IlgpuKernels.IsCudaAvailable) return; // on a GPU machine both run on CUDA (the GPU check covers it)
        var dir = Tool.TempDir();
        var (code, stdout, stderr) = Tool.Run("explain", Tool.Sample("chelsea.png"), "--model", Tool.FloatModel, "--device", "auto", "--output", dir, "--json");
        Assert.True(code == 0, stderr);
        Assert.Contains("no CUDA device found; using the CPU", stderr);
        Assert.Contains("\"device\": \"cpu\"", stdout);
        var (gpu, _, gpuErr) = Tool.Run("explain", Tool.Sample("chelsea.png"), "--model", Tool.FloatModel, "--device", "gpu", "--output", dir, "--force");
        Assert.Equal(1, gpu);
        Assert.Contains("no CUDA device found", gpuErr);
    }

    [Fact]
    public void InterruptedBeforeTheFirstImageExitsWith130()
    {
        var dir = Tool.TempDir();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var (code, _, stderr) = Tool.Run(cts.Token, "explain", Tool.Sample("chelsea.png"), "--model", Tool.FloatModel, "--output", dir);
        Assert.Equal(130, code);
        Assert.Contains("interrupted", stderr);
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public void DefaultModelExplainsWithNoFlags()
    {
        var dir = Tool.TempDir();
        var (code, stdout, stderr) = Tool.Run("explain", Tool.Sample("chelsea.png"), "--output", dir, "--json");
        Assert.True(code == 0, stderr);
        var img = Tool.Json(stdout).GetProperty("images")[0];
        Assert.Equal(285, img.GetProperty("class").GetInt32());
        Assert.True(File.Exists(Path.Combine(dir, "chelsea.shapleycam.png")));
    }

    [Fact]
    public void SmoothingOptionsRun()
    {
        var dir = Tool.TempDir();
        var (code, _, stderr) = Tool.Run("explain", Tool.Sample("chelsea.png"), "--model", Tool.FloatModel, "--method", "gradcam",
            "--eigen-smooth", "--raw", "--output", dir);
        Assert.True(code == 0, stderr);
        Assert.All(Tool.ReadNpy(Path.Combine(dir, "chelsea.gradcam.npy")).Data, v => Assert.InRange(v, 0f, 1f));
    }
}
