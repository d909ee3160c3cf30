using System.Text.Json;
using NativeCam.Cli.Tests.Support;
using NativeCam.Importers.Onnx;

namespace NativeCam.Cli.Tests;

public class ProfileTests
{
    private static string Fixture(string file) => Path.Combine(Tool.RepoRoot, "tests", "fixtures", "models", file);

    [Fact]
    public void JsonAndTraceCoverEveryNodeAtTheRequestedBatch()
    {
        var dir = Tool.TempDir();
        var trace = Path.Combine(dir, "trace.json");
        var model = Fixture("mobilenet_v2.onnx");
        var (code, stdout, stderr) = Tool.Run("profile", "--model", model, "--threads", "1", "--batch", "2", "--runs", "2", "--warmup", "1",
            "--trace", trace, "--json");
        Assert.True(code == 0, stderr + stdout);
        var doc = Tool.Json(stdout);
        Assert.Equal([2, 3, 112, 112], doc.GetProperty("inputShape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(1, doc.GetProperty("threads").GetInt32());
        var forward = doc.GetProperty("forward");
        var nodes = forward.GetProperty("nodes").EnumerateArray().ToList();

        // every graph node runs in the forward pass of this model; FLOPs at batch 2 are ModelFlops' at batch 2
        var imported = OnnxModel.Load(model, new OnnxImportOptions { InputShape = [2, 3, 112, 112] });
        Assert.Equal(imported.Graph.Nodes.Select(n => n.Name).Order(), nodes.Select(n => n.GetProperty("name").GetString()!).Order());
        Assert.Equal(ModelFlops.Flops(imported), nodes.Sum(n => n.GetProperty("flops").GetDouble()));
        Assert.All(nodes, n => Assert.Equal(2, n.GetProperty("outputShapes")[0][0].GetInt32()));
        double total = forward.GetProperty("totalMs").GetDouble();
        double nodesMs = nodes.Sum(n => n.GetProperty("meanMs").GetDouble());
        Assert.True(nodesMs <= total && nodesMs >= 0.25 * total, $"nodes {nodesMs} ms of {total} ms");

        using var t = JsonDocument.Parse(File.ReadAllText(trace));
        var complete = t.RootElement.GetProperty("traceEvents").EnumerateArray()
            .Where(e => e.GetProperty("ph").GetString() == "X" && e.GetProperty("tid").GetInt32() == 1).ToList();
        Assert.Equal(nodes.Count, complete.Count);
        Assert.Equal(nodes.Select(n => n.GetProperty("name").GetString()).Order(), complete.Select(e => e.GetProperty("name").GetString()).Order());
    }

    [Fact]
    public void TextHasBothPassesSortedWithTotals()
    {
        var (code, stdout, stderr) = Tool.Run("profile", "--model", Fixture("resnet18.onnx"), "--threads", "1", "--runs", "1", "--warmup", "0", "--top", "3");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("forward pass:", stdout);
        Assert.Contains("head sweep at /layer4/layer4.1/relu_1/Relu_output_0", stdout);
        Assert.Contains("reverse sweep and utility (not attributed per node)", stdout);
        Assert.Contains("executor overhead between nodes", stdout);
        Assert.Contains("more nodes)", stdout);
        Assert.Equal(2, stdout.Split('\n').Count(l => l.Contains("total:")));
        Assert.Contains("FMA peak measured now", stdout);
    }

    [Fact]
    public void ExistingTraceIsKeptUnlessForce()
    {
        var dir = Tool.TempDir();
        var trace = Path.Combine(dir, "trace.json");
        File.WriteAllText(trace, "keep");
        var (code, _, stderr) = Tool.Run("profile", "--model", Fixture("resnet18.onnx"), "--runs", "1", "--trace", trace);
        Assert.Equal(2, code);
        Assert.Contains("--force", stderr);
        Assert.Equal("keep", File.ReadAllText(trace));
        (code, _, stderr) = Tool.Run("profile", "--model", Fixture("resnet18.onnx"), "--runs", "1", "--warmup", "0", "--trace", trace, "--force");
        Assert.True(code == 0, stderr);
        using var written = JsonDocument.Parse(File.ReadAllText(trace));
        Assert.NotEmpty(written.RootElement.GetProperty("traceEvents").EnumerateArray());
    }

    [Theory]
    [InlineData("--batch", "0")]
    [InlineData("--runs", "0")]
    [InlineData("--threads", "0")]
    [InlineData("--layer", "no-such-tensor")]
    public void BadOptionsAreUsageErrors(string option, string value)
    {
        var (code, _, stderr) = Tool.Run("profile", "--model", Fixture("resnet18.onnx"), "--runs", "1", option, value);
        Assert.True(code == 2, stderr);
    }
}
