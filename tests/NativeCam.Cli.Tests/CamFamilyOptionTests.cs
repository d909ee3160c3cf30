using NativeCam.Cli.Tests.Support;
using SixLabors.ImageSharp;

namespace NativeCam.Cli.Tests;

/// <summary>The CAM-family options (--alpha, --compare, --base-method, --k, --kernel, --guided): validation and effect.</summary>
public class CamFamilyOptionTests
{
    private static (int Code, string Err, string Dir) Explain(params string[] extra)
    {
        var dir = Tool.TempDir();
        var (code, _, stderr) = Tool.Run(["explain", Tool.Sample("chelsea.png"), "--model", Tool.FloatModel, "--output", dir, .. extra]);
        return (code, stderr, dir);
    }

    private static float[] Raw(params string[] extra)
    {
        var (code, err, dir) = Explain([.. extra, "--raw"]);
        Assert.True(code == 0, err);
        var npy = Assert.Single(Directory.GetFiles(dir, "*.npy"));
        return Tool.ReadNpy(npy).Data;
    }

    private static double MaxDiff(float[] a, float[] b) => a.Zip(b, (p, q) => (double)Math.Abs(p - q)).Max();

    [Theory]
    [InlineData("--alpha", "-1")]
    [InlineData("--alpha", "NaN")]
    [InlineData("--compare", "0")]
    [InlineData("--base-method", "fullgrad")]
    [InlineData("--base-method", "nosuch")]
    [InlineData("--k", "-0.5")]
    [InlineData("--kernel", "poly")]
    public void BadValuesAreUsageErrorsNamingTheOption(string option, string value)
    {
        var (code, err, dir) = Explain("--method", "finercam", option, value);
        Assert.True(code == 2, $"exit {code}: {err}");
        Assert.Contains(option, err);
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public void GuidedIsAnExplainOption()
    {
        var (code, _, stderr) = Tool.Run("eval", "--images", Tool.Sample("chelsea.png"), "--model", Tool.FloatModel, "--output", Tool.TempDir(), "--guided");
        Assert.Equal(2, code);
        Assert.Contains("--guided", stderr);
    }

    [Fact]
    public void AlphaZeroMakesFinerCamTheBaseMethodOnTheLogit()
    {
        var finer = Raw("--method", "finercam", "--alpha", "0", "--utility", "logit");
        var plain = Raw("--method", "gradcam", "--utility", "logit");
        var fine = Raw("--method", "finercam");
        Assert.True(MaxDiff(finer, plain) < 1e-4, $"{MaxDiff(finer, plain):g3}");
        Assert.True(MaxDiff(fine, plain) > 1e-2, "alpha 1 changed nothing");
    }

    [Fact]
    public void CompareAndBaseMethodAreCheckedAgainstTheModelAndTheMethod()
    {
        var (code, err, _) = Explain("--method", "finercam", "--compare", "1000");
        Assert.True(code == 1 && err.Contains("--compare"), $"exit {code}: {err}");
        (code, err, _) = Explain("--method", "finercam", "--base-method", "scorecam");
        Assert.True(code == 1 && err.Contains("--base-method"), $"exit {code}: {err}");
        var one = Raw("--method", "finercam", "--compare", "1");
        var three = Raw("--method", "finercam");
        Assert.True(MaxDiff(one, three) > 1e-3, "--compare changed nothing");
    }

    [Fact]
    public void BaseMethodOfRefineCamOnOneLayer()
    {
        var refine = Raw("--method", "refinecam", "--base-method", "hirescam");
        var plain = Raw("--method", "hirescam");
        Assert.True(MaxDiff(refine, plain) < 1e-5, $"{MaxDiff(refine, plain):g3}");
        Assert.True(MaxDiff(refine, Raw("--method", "refinecam")) > 1e-2, "the default base (gradcam++) gave the hirescam map");
    }

    [Fact]
    public void KAndKernelChangeTheirMethods()
    {
        Assert.True(MaxDiff(Raw("--method", "fem", "--k", "0"), Raw("--method", "fem")) > 1e-3, "--k changed nothing");
        var rbf = Raw("--method", "kpca-cam", "--kernel", "rbf");
        var cosine = Raw("--method", "kpca-cam", "--kernel", "cosine");
        Assert.True(MaxDiff(rbf, cosine) > 1e-3, "--kernel changed nothing");
        Assert.All(rbf.Concat(cosine), v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void GuidedWritesAGuidedImagePerMethod()
    {
        var (code, err, dir) = Explain("--method", "gradcam,fullgrad", "--guided");
        Assert.True(code == 0, err);
        foreach (var m in new[] { "gradcam", "fullgrad" })
        {
            var info = Image.Identify(Path.Combine(dir, $"chelsea.{m}.guided.png"));
            Assert.Equal((224, 224), (info.Width, info.Height));
        }
        var (code2, err2, plain) = Explain("--method", "gradcam");
        Assert.True(code2 == 0, err2);
        Assert.Empty(Directory.GetFiles(plain, "*.guided.png"));
    }
}
