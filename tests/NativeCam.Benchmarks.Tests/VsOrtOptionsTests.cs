using NativeCam.Benchmarks.VsOrt;

namespace NativeCam.Benchmarks.Tests;

public class VsOrtOptionsTests
{
    [Fact]
    public void DefaultsAreOneAndTwoThreadsAtBatchOneAndSixteen()
    {
        var o = VsOrtOptions.Parse(["--models", "dir"]);
        Assert.Equal("dir", o.ModelsDir);
        Assert.False(o.Json);
        Assert.Equal([1, 2], o.Threads);
        Assert.Equal([1, 16], o.Batches);
        Assert.Equal(3, o.MinSeconds);
        Assert.Equal(5, o.MinRuns);
        Assert.Equal(2, o.Warmup);
        Assert.Equal(1e-3, o.Tolerance);
        Assert.Empty(o.Only);
    }

    [Fact]
    public void EveryOptionIsRead()
    {
        var o = VsOrtOptions.Parse(["--json", "--threads", "4", "--batches", "1,8,32", "--min-seconds", "0.5", "--min-runs", "7",
            "--warmup", "0", "--tolerance", "1e-4", "--only", "resnet, vgg", "--models", "m"]);
        Assert.Equal(new VsOrtOptions("m", true, [4], [1, 8, 32], 0.5, 7, 0, 1e-4, ["resnet", "vgg"]) with { Threads = o.Threads, Batches = o.Batches, Only = o.Only }, o);
        Assert.Equal([4], o.Threads);
        Assert.Equal([1, 8, 32], o.Batches);
        Assert.Equal(["resnet", "vgg"], o.Only);
    }

    [Theory]
    [InlineData("--models DIR is required")]
    [InlineData("unknown argument '--thread'", "--models", "d", "--thread", "1")]
    [InlineData("--threads: a value is missing", "--models", "d", "--threads")]
    [InlineData("--threads: a value is missing", "--threads", "--json", "--models", "d")]
    [InlineData("--threads 0: must be between 1 and 1024", "--models", "d", "--threads", "0")]
    [InlineData("--batches 1,1: a value is repeated", "--models", "d", "--batches", "1,1")]
    [InlineData("--batches x: expected an integer", "--models", "d", "--batches", "x")]
    [InlineData("--min-runs 2.5: expected an integer", "--models", "d", "--min-runs", "2.5")]
    [InlineData("--min-seconds NaN: expected a number", "--models", "d", "--min-seconds", "NaN")]
    [InlineData("--tolerance 2: must be between 0 and 1", "--models", "d", "--tolerance", "2")]
    public void BadArgumentsAreNamed(string message, params string[] args)
    {
        var e = Assert.Throws<ArgumentException>(() => VsOrtOptions.Parse(args));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void ModelFilesAreTheSortedOnnxFilesMatchingOnly()
    {
        var dir = Path.Combine(Path.GetTempPath(), "nativecam-vs-ort-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        Assert.Contains("no .onnx file", Assert.Throws<ArgumentException>(() => VsOrtOptions.Parse(["--models", dir]).ModelFiles()).Message);
        foreach (var f in new[] { "vgg16.onnx", "resnet18.onnx", "notes.txt", "resnet50.onnx.float" }) File.WriteAllText(Path.Combine(dir, f), "");
        Assert.Equal(["resnet18.onnx", "vgg16.onnx"], VsOrtOptions.Parse(["--models", dir]).ModelFiles().Select(Path.GetFileName));
        Assert.Equal(["vgg16.onnx"], VsOrtOptions.Parse(["--models", dir, "--only", "VGG"]).ModelFiles().Select(Path.GetFileName));
        Assert.Contains("matching --only", Assert.Throws<ArgumentException>(() => VsOrtOptions.Parse(["--models", dir, "--only", "vit"]).ModelFiles()).Message);
        var linked = Path.Combine(dir, "linked");
        Directory.CreateDirectory(linked);
        File.CreateSymbolicLink(Path.Combine(linked, "r.onnx"), Path.Combine(dir, "resnet18.onnx"));
        Assert.Equal([Path.Combine(dir, "resnet18.onnx")], VsOrtOptions.Parse(["--models", linked]).ModelFiles());
        Assert.Contains("no such folder", Assert.Throws<ArgumentException>(() => VsOrtOptions.Parse(["--models", Path.Combine(dir, "none")]).ModelFiles()).Message);
    }
}
