using NativeCam.Cli.Tests.Support;

namespace NativeCam.Cli.Tests;

public class ShapleyTests
{
    [Fact]
    public void JsonReportsTheSampledValuesAndTheirAgreement()
    {
        var (code, stdout, stderr) = Tool.Run("shapley", Tool.Sample("coffee.png"), "--model", Tool.FloatModel, "--samples", "4",
            "--seed", "7", "--json");
        Assert.True(code == 0, stderr);
        var doc = Tool.Json(stdout);
        Assert.Equal("627", doc.GetProperty("layer").GetString());
        Assert.Equal("rest", doc.GetProperty("utility").GetString());
        var images = doc.GetProperty("images");
        Assert.Equal(1, images.GetArrayLength());
        var r = images[0];
        Assert.EndsWith("coffee.png", r.GetProperty("image").GetString());
        Assert.Equal(967, r.GetProperty("class").GetInt32());
        Assert.Equal(4, r.GetProperty("samples").GetInt32());
        Assert.Equal(7, r.GetProperty("seed").GetInt32());
        Assert.Equal("627", r.GetProperty("layer").GetString());
        foreach (var name in new[] { "values", "stdErrors", "shapleycamContributions", "gradcamContributions" })
            Assert.Equal(1280, r.GetProperty(name).GetArrayLength());
        var values = r.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double full = r.GetProperty("fullValue").GetDouble(), empty = r.GetProperty("emptyValue").GetDouble();
        Assert.Equal(full - empty, r.GetProperty("fullMinusEmpty").GetDouble(), 9);
        // efficiency: the sampled values sum to v(N) − v(∅)
        Assert.True(Math.Abs(values.Sum() - (full - empty)) < 1e-6 * (1 + Math.Abs(full - empty)));
        foreach (var name in new[] { "spearmanShapleycam", "spearmanGradcam", "pearsonShapleycam", "pearsonGradcam" })
            Assert.InRange(r.GetProperty(name).GetDouble(), -1, 1);
        // ReST on a GAP→FC head: the game is nearly additive, so the closed forms rank the channels well
        Assert.True(r.GetProperty("spearmanShapleycam").GetDouble() > 0.5);
        Assert.True(r.GetProperty("meanStdError").GetDouble() > 0);
        Assert.True(r.GetProperty("seconds").GetDouble() > 0);
        Assert.Contains("coalitions", stderr);
    }

    [Fact]
    public void TextOutputNamesTheClassAndCorrelations()
    {
        var (code, stdout, stderr) = Tool.Run("shapley", Tool.Sample("coffee.png"), "--model", Tool.FloatModel, "--samples", "2",
            "--utility", "logit", "--class", "967");
        Assert.True(code == 0, stderr);
        Assert.Contains("class 967 espresso", stdout);
        Assert.Contains("Spearman: ShapleyCAM 1.0000, GradCAM 1.0000", stdout); // logit + GAP→FC: additive, sampled = closed form
        Assert.Contains("mean std error n/a", stdout); // one pair has no spread
    }

    [Theory]
    [InlineData("3")]
    [InlineData("0")]
    [InlineData("-2")]
    public void OddOrNonPositiveSamplesAreUsageErrors(string samples)
    {
        var (code, stdout, stderr) = Tool.Run("shapley", Tool.Sample("coffee.png"), "--model", Tool.FloatModel, "--samples", samples);
        Assert.Equal(2, code);
        Assert.Contains("--samples", stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public void UnknownLayerIsAUsageError()
    {
        var (code, _, stderr) = Tool.Run("shapley", Tool.Sample("coffee.png"), "--model", Tool.FloatModel, "--layer", "no-such-tensor");
        Assert.Equal(2, code);
        Assert.Contains("no-such-tensor", stderr);
    }
}
