using System.Text.Json;
using NativeCam.Cam.Evaluation;
using NativeCam.Cli.Tests.Support;

namespace NativeCam.Cli.Tests;

/// <summary>`eval` and `eval-merge` end to end (small: two or three photos, one or two methods, few curve steps).</summary>
public class EvalTests
{
    private static readonly string[] ResultKeys =
    [
        "method", "averageDrop", "increaseInConfidence", "averageDropInDeletion", "coherency", "complexity", "adcc", "roadCombined",
        "deletionAuc", "insertionAuc", "secondsPerImage",
    ];

    private static string Samples => Path.Combine(Tool.RepoRoot, "Cam", "samples");

    private static string[] Eval(string output, params string[] more) =>
        ["eval", "--images", Samples, "--model", Tool.FloatModel, "--metrics", "adcc,deletion,insertion", "--steps", "2", "--output", output, .. more];

    [Fact]
    public void JsonHasTheContractShapeAndTheCsvFilesAgreeWithIt()
    {
        var dir = Tool.TempDir();
        var (code, stdout, stderr) = Tool.Run(Eval(dir, "--methods", "gradcam,shapleycam", "--limit", "2", "--json"));
        Assert.True(code == 0, stderr);
        var doc = Tool.Json(stdout);
        Assert.Equal(2, doc.GetProperty("images").GetInt32());
        Assert.Equal(Tool.FloatModel, doc.GetProperty("model").GetString());
        var results = doc.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["gradcam", "shapleycam"], results.Select(r => r.GetProperty("method").GetString()));
        foreach (var r in results)
        {
            Assert.Equal(ResultKeys, r.EnumerateObject().Select(p => p.Name));
            Assert.Equal(JsonValueKind.Null, r.GetProperty("roadCombined").ValueKind); // not requested
            foreach (var key in ResultKeys[1..^1].Where(k => k != "roadCombined"))
                Assert.InRange(r.GetProperty(key).GetDouble(), 0, 1); // fractions, not percent
            Assert.True(r.GetProperty("secondsPerImage").GetDouble() > 0);
        }
        Assert.Contains("[2/2] coffee.png", stderr); // one progress line per image when stderr is not a terminal
        Assert.Equal(stdout, File.ReadAllText(Path.Combine(dir, "eval.json")));

        var summary = File.ReadAllLines(Path.Combine(dir, "eval.csv"));
        Assert.Equal(3, summary.Length);
        Assert.StartsWith("method,images,averageDrop,", summary[0]);
        for (int i = 0; i < 2; i++)
        {
            var cells = summary[i + 1].Split(',');
            Assert.Equal(results[i].GetProperty("method").GetString(), cells[0]);
            Assert.Equal("2", cells[1]);
            Assert.Equal(results[i].GetProperty("averageDrop").GetDouble(), double.Parse(cells[2], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("", cells[8]); // roadCombined
        }
        var rows = File.ReadAllLines(Path.Combine(dir, "eval-images.csv"));
        Assert.Equal(["chelsea.png,gradcam", "chelsea.png,shapleycam", "coffee.png,gradcam", "coffee.png,shapleycam"],
            rows[1..].Select(l => string.Join(",", l.Split(',')[..2])));
        Assert.Contains(",967,", rows[3]); // espresso

        // a second run refuses to overwrite, before doing any work
        var again = Tool.Run(Eval(dir, "--methods", "gradcam", "--limit", "1"));
        Assert.Equal(2, again.Code);
        Assert.Contains("already exist", again.Err);
        Assert.Contains("--force", again.Err);
    }

    [Fact]
    public void DefaultMetricsIncludeRoadAndTheReportHasOneCellPerImageAndMethod()
    {
        var dir = Tool.TempDir();
        var report = Path.Combine(dir, "report.html");
        var (code, stdout, stderr) = Tool.Run("eval", "--images", Samples, "--model", Tool.FloatModel, "--methods", "gradcam,shapleycam",
            "--limit", "1", "--steps", "2", "--output", dir, "--report", report, "--json");
        Assert.True(code == 0, stderr);
        var results = Tool.Json(stdout).GetProperty("results").EnumerateArray().ToList();
        var rows = File.ReadAllLines(Path.Combine(dir, "eval-images.csv"));
        var header = rows[0].Split(',');
        int methodColumn = Array.IndexOf(header, "method"), roadColumn = Array.IndexOf(header, "roadCombined");
        foreach (var r in results)
        {
            string method = r.GetProperty("method").GetString()!;
            // one image: the dataset ROAD figure is that image's (LeRF − MoRF)/2 average, as written per image
            var row = rows.Skip(1).Select(l => l.Split(',')).Single(c => c[methodColumn] == method);
            double perImage = double.Parse(row[roadColumn], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(perImage, r.GetProperty("roadCombined").GetDouble(), 12);
            Assert.InRange(perImage, -0.5, 0.5);
        }
        string html = File.ReadAllText(report);
        Assert.Equal(2 * 2, System.Text.RegularExpressions.Regex.Matches(html, "<svg[^>]*class=\"curve\"").Count);
        Assert.Equal(1 * 2, System.Text.RegularExpressions.Regex.Matches(html, "<img[^>]*src=\"data:image/png;base64,").Count);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", ""));
    }

    [Fact]
    public void TwoShardsMergedEqualTheWholeRun()
    {
        var (whole, shards, merged) = (Tool.TempDir(), Tool.TempDir(), Tool.TempDir());
        string[] common = ["--methods", "gradcam", "--limit", "3", "--json"];
        var w = Tool.Run(Eval(whole, common));
        Assert.True(w.Code == 0, w.Err);
        foreach (var k in new[] { 0, 1 })
        {
            var s = Tool.Run(Eval(shards, [.. common, "--shard", $"{k}/2"]));
            Assert.True(s.Code == 0, s.Err);
            Assert.Equal(k == 0 ? 2 : 1, Tool.Json(s.Out).GetProperty("images").GetInt32());
        }
        Assert.Equal(["eval.shard-0-of-2.json", "eval.shard-1-of-2.json"], Directory.GetFiles(shards).Select(Path.GetFileName).Order());
        var part = EvaluationReportJson.Deserialize(File.ReadAllText(Path.Combine(shards, "eval.shard-0-of-2.json")), "shard 0");
        Assert.Equal("0/2", part.Shard);
        Assert.Equal(["chelsea.png", "coffee.shapleycam.png"], part.PerImage.Select(r => r.Image)); // indices 0 and 2

        var m = Tool.Run("eval-merge", Path.Combine(shards, "eval.shard-1-of-2.json"), Path.Combine(shards, "eval.shard-0-of-2.json"),
            "--json", "--output", merged);
        Assert.True(m.Code == 0, m.Err);
        var (a, b) = (Tool.Json(w.Out), Tool.Json(m.Out));
        Assert.Equal(3, b.GetProperty("images").GetInt32());
        var (ra, rb) = (a.GetProperty("results")[0], b.GetProperty("results")[0]);
        foreach (var key in ResultKeys.Where(k => k != "secondsPerImage"))
            Assert.Equal(ra.GetProperty(key).GetRawText(), rb.GetProperty(key).GetRawText()); // the same bits
        Assert.Equal(ra.GetProperty("adcc").GetDouble(), rb.GetProperty("adcc").GetDouble());
        static IEnumerable<string> WithoutSeconds(string file) => File.ReadAllLines(file).Select(l => l[..l.LastIndexOf(',')]);
        Assert.Equal(WithoutSeconds(Path.Combine(whole, "eval-images.csv")), WithoutSeconds(Path.Combine(merged, "eval-images.csv")));
    }

    [Fact]
    public void ImagesThatFailToLoadAreReportedAndTheRestIsEvaluated()
    {
        var root = Tool.TempDir();
        var input = Directory.CreateDirectory(Path.Combine(root, "in")).FullName;
        TestImages.NoisePng(Path.Combine(input, "good.png"), 64, 48, 1);
        File.WriteAllBytes(Path.Combine(input, "corrupt.png"), CraftedImages.CorruptPng(3));
        var (code, stdout, stderr) = Tool.Run("eval", "--images", input, "--model", Tool.FloatModel, "--methods", "gradcam",
            "--metrics", "deletion", "--steps", "1", "--output", Path.Combine(root, "out"), "--json");
        Assert.Equal(3, code);
        Assert.Contains("corrupt.png: corrupt or unreadable PNG image", stderr);
        Assert.Equal(1, Tool.Json(stdout).GetProperty("images").GetInt32());
        var r = Tool.Json(stdout).GetProperty("results")[0];
        Assert.Equal(JsonValueKind.Null, r.GetProperty("adcc").ValueKind);
        Assert.Equal(JsonValueKind.Number, r.GetProperty("deletionAuc").ValueKind);
    }

    [Theory]
    [InlineData("--shard", "3/2", "--shard must be K/N with 0 ≤ K < N")]
    [InlineData("--shard", "0/0", "--shard must be K/N")]
    [InlineData("--shard", "one/two", "--shard must be K/N")]
    [InlineData("--metrics", "adcc,rood", "unknown metric 'rood' (known: adcc, road, deletion, insertion, arcc, faithfulness-correlation, monotonicity, model-randomization, random-logit)")]
    [InlineData("--methods", "gradcan", "unknown method 'gradcan' (did you mean gradcam")]
    [InlineData("--limit", "0", "--limit must be ≥ 1")]
    [InlineData("--steps", "0", "--steps must be between 1")]
    public void BadOptionsAreUsageErrorsAndWriteNothing(string option, string value, string message)
    {
        var output = Path.Combine(Tool.TempDir(), "out");
        var (code, _, stderr) = Tool.Run("eval", "--images", Samples, "--output", output, option, value);
        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void AMissingImageFolderIsAUsageError()
    {
        var missing = Path.Combine(Tool.TempDir(), "nope");
        var (code, _, stderr) = Tool.Run("eval", "--images", missing, "--output", Path.Combine(Tool.TempDir(), "out"));
        Assert.Equal(2, code);
        Assert.Contains($"--images {missing}: no such directory", stderr);
        Assert.Equal(2, Tool.Run("eval").Code); // --images is required
    }

    [Fact]
    public void MergeRejectsMissingUnreadableAndDisagreeingFilesNamingThem()
    {
        var dir = Tool.TempDir();
        var out1 = Path.Combine(dir, "out");
        var missing = Tool.Run("eval-merge", Path.Combine(dir, "none.json"), "--output", out1);
        Assert.Equal(2, missing.Code);
        Assert.Contains("none.json: no such file", missing.Err);

        var junk = Path.Combine(dir, "junk.json");
        File.WriteAllText(junk, "{ not json");
        var bad = Tool.Run("eval-merge", junk, "--output", out1);
        Assert.Equal(2, bad.Code);
        Assert.Contains("junk.json: not an evaluation result file", bad.Err);

        ImageResult Row(string image) => new(image, "gradcam", 1, 0.9, 0.5, 0.1, 0.4, null, null, null, null, 1);
        string Write(string name, string model, string shard, string image)
        {
            var report = EvaluationSummaries.Report(model, "627", "rest", shard, ["gradcam"], [Row(image)], EvaluationMetrics.None);
            var path = Path.Combine(dir, name);
            File.WriteAllText(path, EvaluationReportJson.Serialize(report));
            return path;
        }
        var a = Write("a.json", "m.onnx", "0/2", "x.png");
        var b = Write("b.json", "other.onnx", "1/2", "y.png");
        var disagree = Tool.Run("eval-merge", a, b, "--output", out1);
        Assert.Equal(2, disagree.Code);
        Assert.Contains($"{b}: model 'other.onnx' differs from 'm.onnx' in {a}", disagree.Err);
        var dup = Write("c.json", "m.onnx", "1/2", "x.png");
        var twice = Tool.Run("eval-merge", a, dup, "--output", out1);
        Assert.Equal(2, twice.Code);
        Assert.Contains($"{dup}: image x.png (gradcam) is also in {a}", twice.Err);
        Assert.False(Directory.Exists(out1));

        var ok = Tool.Run("eval-merge", a, "--output", out1);
        Assert.Equal(0, ok.Code);
        Assert.Contains("warning: shard(s) 1/2 not given", ok.Err);
        Assert.Equal(["eval-images.csv", "eval.csv", "eval.json"], Directory.GetFiles(out1).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
