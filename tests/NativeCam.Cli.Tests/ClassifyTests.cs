using NativeCam.Cli.Tests.Support;

namespace NativeCam.Cli.Tests;

public class ClassifyTests
{
    private static void AssertSamples(params string[] modelArgs)
    {
        var (code, stdout, stderr) = Tool.Run(["classify", Tool.Sample("coffee.png"), Tool.Sample("chelsea.png"), "--json", "--top", "3", .. modelArgs]);
        Assert.True(code == 0, stderr);
        var images = Tool.Json(stdout).GetProperty("images");
        Assert.Equal(2, images.GetArrayLength());
        var coffee = images[0].GetProperty("top");
        var chelsea = images[1].GetProperty("top");
        Assert.Equal(3, coffee.GetArrayLength());
        Assert.Equal(967, coffee[0].GetProperty("class").GetInt32());
        Assert.Equal("espresso", coffee[0].GetProperty("name").GetString());
        Assert.Equal(285, chelsea[0].GetProperty("class").GetInt32());
        Assert.Equal("Egyptian cat", chelsea[0].GetProperty("name").GetString());
        Assert.True(coffee[0].GetProperty("probability").GetDouble() >= coffee[1].GetProperty("probability").GetDouble());
    }

    [Fact]
    public void FloatModelClassifiesTheSamples() => AssertSamples("--model", Tool.FloatModel);

    // the embedded int8 model needs the importer's quantized-op handlers; this fails loudly until they are on main
    [Fact]
    public void DefaultModelClassifiesTheSamples() => AssertSamples();

    [Fact]
    public void TextOutputListsTopK()
    {
        var (code, stdout, _) = Tool.Run("classify", Tool.Sample("coffee.png"), "--model", Tool.FloatModel, "--top", "2");
        Assert.Equal(0, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains("967", lines[1]);
        Assert.Contains("espresso", lines[1]);
    }
}
