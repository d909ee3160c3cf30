using NativeCam.Cli.Tests.Support;

namespace NativeCam.Cli.Tests;

public class GradcheckTests
{
    [Fact]
    public void EmbeddedModelPassesWithJson()
    {
        var (code, stdout, stderr) = Tool.Run("gradcheck", "--json", "--directions", "2", "--seed", "3");
        Assert.True(code == 0, stderr + stdout);
        var doc = Tool.Json(stdout);
        Assert.Equal(["model", "layer", "utility", "class", "epsilon", "checks", "passed"], doc.EnumerateObject().Select(p => p.Name));
        Assert.Contains("embedded", doc.GetProperty("model").GetString());
        Assert.Equal("rest", doc.GetProperty("utility").GetString());
        Assert.InRange(doc.GetProperty("class").GetInt32(), 0, 999);
        Assert.True(doc.GetProperty("epsilon").GetDouble() > 0);
        Assert.True(doc.GetProperty("passed").GetBoolean());
        var checks = doc.GetProperty("checks").EnumerateArray().ToList();
        Assert.Equal(7, checks.Count); // 2 gradient, 2 + 1 H·A, 2 symmetry
        foreach (var c in checks)
        {
            Assert.Equal(["name", "relativeError", "tolerance", "passed"], c.EnumerateObject().Select(p => p.Name));
            Assert.True(c.GetProperty("passed").GetBoolean());
            Assert.True(c.GetProperty("relativeError").GetDouble() <= c.GetProperty("tolerance").GetDouble());
        }
        Assert.Contains(checks, c => c.GetProperty("name").GetString() == "hvp-A[full]");
    }

    [Fact]
    public void FloatModelWithImageClassAndLayerPrintsATable()
    {
        var dir = Tool.TempDir();
        var image = Path.Combine(dir, "noise.png");
        TestImages.NoisePng(image, 300, 260, 2);
        var (code, stdout, stderr) = Tool.Run("gradcheck", "--model", Tool.FloatModel, "--image", image, "--class", "5",
            "--layer", "627", "--utility", "logit", "--directions", "1");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("layer    627", stdout);
        Assert.Contains("logit, class 5", stdout);
        Assert.Contains("gradient[v1]", stdout);
        Assert.Contains("symmetry[v1,w1]", stdout);
        Assert.DoesNotContain("FAIL", stdout);
        Assert.Equal([image], Directory.GetFiles(dir)); // nothing written
    }

    [Fact]
    public void ToleranceNoFloat64DifferenceMeetsFailsWithExitCode1()
    {
        var (code, stdout, stderr) = Tool.Run("gradcheck", "--json", "--directions", "1", "--tolerance", "1e-300");
        Assert.Equal(1, code);
        var doc = Tool.Json(stdout);
        Assert.False(doc.GetProperty("passed").GetBoolean());
        Assert.Contains(doc.GetProperty("checks").EnumerateArray(), c => !c.GetProperty("passed").GetBoolean());
        Assert.Contains("exceed the tolerance", stderr);
    }

    [Theory]
    [InlineData("--layer", "no-such-tensor")]
    [InlineData("--directions", "0")]
    [InlineData("--epsilon", "2")]
    [InlineData("--class", "1000")]
    [InlineData("--utility", "entropy")]
    [InlineData("--image", "/no/such/image.png")]
    public void BadOptionsAreUsageErrors(string option, string value)
    {
        var (code, _, stderr) = Tool.Run("gradcheck", option, value);
        Assert.True(code == 2, stderr);
        Assert.Contains("error:", stderr);
    }
}
