using System.CommandLine;
using System.Text.Json;
using NativeCam.Cam.Methods;
using NativeCam.Cli.Commands;
using NativeCam.Cli.Infrastructure;
using NativeCam.Cli.Tests.Support;

namespace NativeCam.Cli.Tests;

/// <summary>The input-attribution and perturbation methods' options, the attribution metrics' options, and both commands end to end.</summary>
public class AttributionTests
{
    private static AttributionParameters Read(string command, params string[] args)
    {
        var options = new AttributionOptions(command);
        var root = new RootCommand();
        foreach (var o in options.All) root.Options.Add(o);
        var parse = root.Parse(args);
        Assert.Empty(parse.Errors);
        return options.Read(parse);
    }

    [Fact]
    public void ExplainOptionsReachTheParameters()
    {
        var p = Read("explain", "--samples", "3", "--noise", "0.2", "--steps", "7", "--baseline", "blur", "--blur-sigma", "2.5",
            "--masks", "9", "--mask-cells", "4", "--keep-probability", "0.3", "--window", "5", "--stride", "2");
        Assert.Equal((3, 0.2, 7, IntegratedGradientsBaseline.Blur, 2.5), (p.Samples, p.Noise, p.Steps, p.Baseline, p.BlurSigma));
        Assert.Equal((9, 4, 0.3, 5, 2), (p.Masks, p.MaskCells, p.KeepProbability, p.Window, p.Stride));
        Assert.Equal(new AttributionParameters().Metrics, p.Metrics);
        Assert.DoesNotContain(new AttributionOptions("explain").All, o => o.Name is "--ig-steps" or "--faithfulness-runs");
    }

    [Fact]
    public void DefaultsAreTheRecordsDefaults()
    {
        var p = Read("explain");
        var d = new AttributionParameters();
        Assert.Equal((d.Samples, d.Noise, d.Steps, d.Baseline, d.Masks, d.Window, d.Stride), (p.Samples, p.Noise, p.Steps, p.Baseline, p.Masks, p.Window, p.Stride));
    }

    [Fact]
    public void EvalNamesTheStepsIgStepsAndHasTheMetricOptions()
    {
        var names = new AttributionOptions("eval").All.Select(o => o.Name).ToList();
        Assert.DoesNotContain("--steps", names); // eval's --steps are the curves'
        var p = Read("eval", "--ig-steps", "11", "--faithfulness-runs", "20", "--faithfulness-subset", "50", "--monotonicity-step", "100",
            "--randomized-layers", "3", "--baseline", "black");
        Assert.Equal(11, p.Steps);
        Assert.Equal(IntegratedGradientsBaseline.Black, p.Baseline);
        Assert.Equal((20, 50, 100, 3), (p.Metrics.FaithfulnessRuns, p.Metrics.FaithfulnessSubset, p.Metrics.MonotonicityStep, p.Metrics.RandomizedLayers));
    }

    [Theory]
    [InlineData("explain", "--samples", "0")]
    [InlineData("explain", "--noise", "-0.1")]
    [InlineData("explain", "--steps", "0")]
    [InlineData("explain", "--baseline", "white")]
    [InlineData("explain", "--blur-sigma", "0")]
    [InlineData("explain", "--masks", "0")]
    [InlineData("explain", "--mask-cells", "0")]
    [InlineData("explain", "--keep-probability", "1.5")]
    [InlineData("explain", "--window", "0")]
    [InlineData("explain", "--stride", "-1")]
    [InlineData("eval", "--ig-steps", "0")]
    [InlineData("eval", "--faithfulness-runs", "1")]
    [InlineData("eval", "--faithfulness-subset", "0")]
    [InlineData("eval", "--monotonicity-step", "0")]
    [InlineData("eval", "--randomized-layers", "-2")]
    public void OutOfRangeValuesAreUsageErrorsNamingTheOption(string command, string option, string value) =>
        Assert.Contains(option, Assert.Throws<UsageException>(() => Read(command, option, value)).Message);

    [Fact]
    public void ABadValueOnTheCommandLineExitsWithTwo()
    {
        var dir = Tool.TempDir();
        var (code, _, stderr) = Tool.Run("explain", Tool.Sample("chelsea.png"), "--model", Tool.FloatModel, "--method", "rise", "--masks", "0", "--output", dir);
        Assert.Equal(2, code);
        Assert.Contains("--masks", stderr);
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public void ExplainWritesEveryAttributionAndReportsTheCompletenessResidual()
    {
        var dir = Tool.TempDir();
        string[] methods = ["saliency", "input-x-gradient", "smoothgrad", "integrated-gradients", "rise", "occlusion"];
        var (code, stdout, stderr) = Tool.Run("explain", Tool.Sample("chelsea.png"), "--model", Tool.FloatModel, "--method", string.Join(",", methods),
            "--samples", "2", "--steps", "4", "--masks", "8", "--window", "112", "--stride", "56", "--raw", "--json", "--output", dir);
        Assert.True(code == 0, stderr);
        var image = Tool.Json(stdout).GetProperty("images")[0];
        foreach (var m in image.GetProperty("methods").EnumerateArray())
        {
            string name = m.GetProperty("method").GetString()!;
            var (_, map) = Tool.ReadNpy(m.GetProperty("raw").GetString()!);
            Assert.Equal(224 * 224, map.Length);
            Assert.All(map, v => Assert.InRange(v, 0f, 1f));
            Assert.True(map.Max() > 0.99f, name);
            if (name == "integrated-gradients")
                Assert.True(double.IsFinite(m.GetProperty("extras").GetProperty("completenessResidual").GetDouble()));
            else
                Assert.False(m.TryGetProperty("extras", out _), name);
        }
    }

    [Fact]
    public void ModelRandomizationRunsOnTheQuantizedDefaultModel()
    {
        // the embedded int8 model's QLinear layers read their dequantised weights as graph constants, which the
        // cascade re-draws: the randomised maps move away from the original (ρ below 1)
        var dir = Tool.TempDir();
        var (code, stdout, stderr) = Tool.Run("eval", "--images", Path.Combine(Tool.RepoRoot, "Cam", "samples"), "--methods", "gradcam", "--limit", "1",
            "--metrics", "model-randomization", "--randomized-layers", "2", "--json", "--output", dir);
        Assert.True(code == 0, stderr);
        var rho = Tool.Json(stdout).GetProperty("results")[0].GetProperty("attribution").GetProperty("randomizationSpearman");
        Assert.Equal(2, rho.GetArrayLength());
        Assert.All(rho.EnumerateArray(), r => Assert.InRange(r.GetDouble(), -1, 0.999));
    }

    [Fact]
    public void EvalComputesTheAttributionMetricsIntoJsonAndReport()
    {
        var dir = Tool.TempDir();
        var report = Path.Combine(dir, "report.html");
        var (code, stdout, stderr) = Tool.Run("eval", "--images", Path.Combine(Tool.RepoRoot, "Cam", "samples"), "--model", Tool.FloatModel,
            "--methods", "gradcam", "--limit", "1", "--metrics", "arcc,faithfulness-correlation,monotonicity,model-randomization,random-logit",
            "--faithfulness-runs", "4", "--faithfulness-subset", "100", "--monotonicity-step", "12544", "--randomized-layers", "2",
            "--report", report, "--json", "--output", Path.Combine(dir, "out"));
        Assert.True(code == 0, stderr);
        var a = Tool.Json(stdout).GetProperty("results")[0].GetProperty("attribution");
        Assert.InRange(a.GetProperty("arcc").GetDouble(), 0, 1);
        Assert.InRange(a.GetProperty("monotonicity").GetDouble(), 0, 1);
        Assert.Equal(2, a.GetProperty("randomizationSpearman").GetArrayLength());
        Assert.Equal(2, a.GetProperty("randomizationSsim").GetArrayLength());
        Assert.InRange(a.GetProperty("randomLogitSsim").GetDouble(), -1, 1);
        Assert.NotEqual(JsonValueKind.Undefined, a.GetProperty("faithfulnessCorrelation").ValueKind);
        // the CSVs carry the same figures as the JSON document
        var csv = File.ReadAllLines(Path.Combine(dir, "out", "eval.csv"));
        var header = csv[0].Split(',');
        var row = csv[1].Split(',');
        string Cell(string name) => row[Array.IndexOf(header, name)];
        Assert.Equal(a.GetProperty("arcc").GetDouble(), double.Parse(Cell("arcc"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(a.GetProperty("randomLogitSsim").GetDouble(), double.Parse(Cell("randomLogitSsim"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, Cell("randomizationSsim").Split(';').Length);
        var images = File.ReadAllLines(Path.Combine(dir, "out", "eval-images.csv"));
        Assert.Contains("monotonic", images[0].Split(','));
        Assert.Equal(images[0].Split(',').Length, images[1].Split(',').Length);
        var html = File.ReadAllText(report);
        foreach (var id in new[] { "arcc", "faithfulness-correlation", "monotonicity", "model-randomization", "random-logit" })
            Assert.Contains($"<section id=\"{id}\">", html);
    }
}
