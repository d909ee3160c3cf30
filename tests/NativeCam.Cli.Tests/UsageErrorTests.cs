using NativeCam.Cli.Tests.Support;

namespace NativeCam.Cli.Tests;

/// <summary>Usage errors exit with 2 and say what is wrong; nothing is written.</summary>
public class UsageErrorTests
{
    private static string Explain(string[] extra, int expected = 2)
    {
        var dir = Tool.TempDir();
        var (code, _, stderr) = Tool.Run(["explain", Tool.Sample("chelsea.png"), "--model", Tool.FloatModel, "--output", dir, .. extra]);
        Assert.True(code == expected, $"exit {code}: {stderr}");
        Assert.Empty(Directory.GetFiles(dir));
        return stderr;
    }

    [Fact]
    public void ClassOutOfRange() => Assert.Contains("out of range", Explain(["--class", "1000"]));

    [Fact]
    public void BadClassValue() => Assert.Contains("--class", Explain(["--class", "cat"]));

    [Fact]
    public void UnknownLayerSuggestsTheNearestNames() => Assert.Contains("did you mean 627", Explain(["--layer", "627x"]));

    [Fact]
    public void UnknownMethodSuggestsTheNearestNames() => Assert.Contains("did you mean gradcam", Explain(["--method", "gradcamm"]));

    [Fact]
    public void UnknownUtility() => Assert.Contains("unknown utility", Explain(["--utility", "logits2"]));

    [Theory]
    [InlineData("--image-weight", "1.5")]
    [InlineData("--image-weight", "abc")]
    [InlineData("--threads", "0")]
    [InlineData("--threads", "many")]
    [InlineData("--device", "tpu")]
    [InlineData("--no-such-option", "1")]
    public void BadOptionValues(string option, string value) => Assert.Contains("error", Explain([option, value]));

    [Fact]
    public void MissingInputIsAUsageError()
    {
        var (code, _, stderr) = Tool.Run("explain", "/no/such/image.png", "--model", Tool.FloatModel, "--output", Tool.TempDir());
        Assert.Equal(2, code);
        Assert.Contains("/no/such/image.png", stderr);
    }

    [Fact]
    public void MissingModelIsAUsageError()
    {
        var (code, _, stderr) = Tool.Run("classify", Tool.Sample("chelsea.png"), "--model", "/no/such/model.onnx");
        Assert.Equal(2, code);
        Assert.Contains("/no/such/model.onnx", stderr);
    }

    [Fact]
    public void NoCommandIsAUsageError() => Assert.Equal(2, Tool.Run("frobnicate").Code);
}
