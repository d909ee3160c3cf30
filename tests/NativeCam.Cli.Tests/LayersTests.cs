using NativeCam.Cli.Tests.Support;

namespace NativeCam.Cli.Tests;

public class LayersTests
{
    [Fact]
    public void JsonListsCandidatesAndMarksTheAutoLayer()
    {
        var (code, stdout, stderr) = Tool.Run("layers", "--model", Tool.FloatModel, "--json");
        Assert.True(code == 0, stderr);
        var doc = Tool.Json(stdout);
        Assert.Equal("627", doc.GetProperty("auto").GetString());
        var layers = doc.GetProperty("layers").EnumerateArray().ToList();
        var auto = Assert.Single(layers, l => l.GetProperty("auto").GetBoolean());
        Assert.Equal("627", auto.GetProperty("name").GetString());
        Assert.Equal([1, 1280, 7, 7], auto.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.True(layers.Count > 50);
    }

    [Fact]
    public void TextMarksTheAutoLayer()
    {
        var (code, stdout, _) = Tool.Run("layers", "--model", Tool.FloatModel);
        Assert.Equal(0, code);
        var marked = stdout.Split('\n').Where(l => l.Contains("<- auto")).ToList();
        Assert.Single(marked);
        Assert.StartsWith("627 ", marked[0]);
    }
}
