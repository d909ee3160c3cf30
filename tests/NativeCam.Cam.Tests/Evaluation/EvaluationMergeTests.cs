using NativeCam.Cam.Evaluation;

namespace NativeCam.Cam.Tests.Evaluation;

public class EvaluationMergeTests
{
    private static readonly string[] Methods = ["gradcam", "shapleycam"];

    private static EvaluationReport Part(IEnumerable<ImageResult> rows, string? shard, string model = "m.onnx", string layer = "627",
        string[]? methods = null) =>
        EvaluationSummaries.Report(model, layer, "rest", shard, methods ?? Methods, rows.ToList(), EvaluationMetrics.All);

    private static (List<ImageResult> Rows, EvaluationReport A, EvaluationReport B) Split()
    {
        var rows = EvaluationSummariesTests.Rows(7, Methods, 4, 11);
        var images = rows.Select(r => r.Image).Distinct().ToList();
        var a = Part(rows.Where(r => images.IndexOf(r.Image) % 2 == 0), "0/2");
        var b = Part(rows.Where(r => images.IndexOf(r.Image) % 2 == 1), "1/2");
        return (rows, a, b);
    }

    [Fact]
    public void MergedShardsEqualTheWholeRunExactly()
    {
        var (rows, a, b) = Split();
        var whole = Part(rows, null);
        var merged = EvaluationMerge.Merge([("b.json", b), ("a.json", a)]);
        Assert.Empty(merged.Warnings);
        Assert.Null(merged.Report.Shard);
        Assert.Equal(whole.Images, merged.Report.Images);
        Assert.Equal(whole.Metrics, merged.Report.Metrics);
        Assert.Equal(whole.Results.Select(EvaluationSummariesTests.Fields), merged.Report.Results.Select(EvaluationSummariesTests.Fields));
        // and a shard's own figures differ from the whole (the test could fail)
        Assert.NotEqual(whole.Results[0].AverageDrop, a.Results[0].AverageDrop);
    }

    [Fact]
    public void FileFormatRoundTripsEveryBitIncludingNaN()
    {
        var (_, a, _) = Split();
        var empty = Part([], "1/2");
        Assert.True(double.IsNaN(empty.Results[0].AverageDrop));
        foreach (var r in new[] { a, empty })
        {
            var back = EvaluationReportJson.Deserialize(EvaluationReportJson.Serialize(r), "x.json");
            Assert.Equal(r.Results.Select(EvaluationSummariesTests.Fields), back.Results.Select(EvaluationSummariesTests.Fields));
            Assert.Equal(r.PerImage.Count, back.PerImage.Count);
            for (int i = 0; i < r.PerImage.Count; i++)
            {
                var (p, q) = (r.PerImage[i], back.PerImage[i]);
                Assert.Equal((p.Image, p.Method, p.ClassIndex, p.Y, p.O, p.D, p.Complexity, p.Coherency, p.Seconds),
                    (q.Image, q.Method, q.ClassIndex, q.Y, q.O, q.D, q.Complexity, q.Coherency, q.Seconds));
                Assert.Equal(p.DeletionCurve, q.DeletionCurve);
                Assert.Equal(p.InsertionCurve, q.InsertionCurve);
                Assert.Equal(p.Road!.MoRF, q.Road!.MoRF);
                Assert.Equal(p.Road.Combined, q.Road.Combined);
            }
            Assert.Equal((r.Model, r.Layer, r.Utility, r.Shard, r.Images), (back.Model, back.Layer, back.Utility, back.Shard, back.Images));
            Assert.Equal(r.Metrics, back.Metrics);
        }
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"hello\": 1}")]
    public void FilesThatAreNotResultsAreRejectedNamingTheFile(string text)
    {
        var e = Assert.Throws<InvalidDataException>(() => EvaluationReportJson.Deserialize(text, "part7.json"));
        Assert.StartsWith("part7.json: not an evaluation result file", e.Message);
    }

    [Fact]
    public void DisagreeingPartsAreRejectedNamingBothFiles()
    {
        var (rows, a, _) = Split();
        var other = Part(rows.Where(r => r.Image == "img01.png"), "1/2", model: "other.onnx");
        var e = Assert.Throws<InvalidDataException>(() => EvaluationMerge.Merge([("a.json", a), ("b.json", other)]));
        Assert.Equal("b.json: model 'other.onnx' differs from 'm.onnx' in a.json", e.Message);

        var layer = Part(rows.Where(r => r.Image == "img01.png"), "1/2", layer: "600");
        Assert.Contains("b.json: layer '600'", Assert.Throws<InvalidDataException>(() => EvaluationMerge.Merge([("a.json", a), ("b.json", layer)])).Message);

        var methods = Part(rows.Where(r => r.Image == "img01.png" && r.Method == "gradcam"), "1/2", methods: ["gradcam"]);
        Assert.Contains("b.json: methods 'gradcam'", Assert.Throws<InvalidDataException>(() => EvaluationMerge.Merge([("a.json", a), ("b.json", methods)])).Message);
    }

    [Fact]
    public void AnImageInTwoPartsIsRejected()
    {
        var (rows, a, b) = Split();
        var overlap = Part(rows.Where(r => r.Image == "img02.png"), "1/2");
        var e = Assert.Throws<InvalidDataException>(() => EvaluationMerge.Merge([("a.json", a), ("c.json", overlap)]));
        Assert.Contains("c.json: image img02.png", e.Message);
        Assert.Contains("also in a.json", e.Message);
        Assert.Contains("given twice", Assert.Throws<InvalidDataException>(() => EvaluationMerge.Merge([("b.json", b), ("b2.json", Part([], "1/2"))])).Message);
    }

    [Fact]
    public void ShardCountsMustAgreeAndMissingShardsAreWarnedAbout()
    {
        var (rows, a, _) = Split();
        var third = Part(rows.Where(r => r.Image == "img01.png"), "1/3");
        var e = Assert.Throws<InvalidDataException>(() => EvaluationMerge.Merge([("a.json", a), ("t.json", third)]));
        Assert.Contains("t.json: shard 1/3 is one of 3, but a.json is one of 2", e.Message);
        var alone = EvaluationMerge.Merge([("a.json", a)]);
        Assert.Equal(["shard(s) 1/2 not given; the figures cover the given shards only"], alone.Warnings);
    }

    [Theory]
    [InlineData("0/1", true)]
    [InlineData("3/4", true)]
    [InlineData("3/2", false)]
    [InlineData("0/0", false)]
    [InlineData("-1/2", false)]
    [InlineData("1", false)]
    [InlineData("a/b", false)]
    [InlineData("1/2/3", false)]
    public void ShardLabels(string text, bool valid) => Assert.Equal(valid, EvaluationMerge.TryParseShard(text, out _, out _));
}
