using NativeCam.Cam.Evaluation;

namespace NativeCam.Cam.Tests.Evaluation;

public class EvaluationSummariesTests
{
    /// <summary>Rows with arbitrary but reproducible scores; curves of <paramref name="points"/> points.</summary>
    internal static List<ImageResult> Rows(int images, string[] methods, int points, int seed, bool coherency = true)
    {
        var rng = new Random(seed);
        var rows = new List<ImageResult>();
        for (int i = 0; i < images; i++)
            foreach (var m in methods)
            {
                double y = 0.2 + 0.8 * rng.NextDouble();
                rows.Add(new ImageResult($"img{i:00}.png", m, rng.Next(1000), y, rng.NextDouble(), rng.NextDouble(), rng.NextDouble(),
                    coherency ? rng.NextDouble() : null,
                    new RoadScores([20, 40], [rng.NextDouble(), rng.NextDouble()], [rng.NextDouble(), rng.NextDouble()], rng.NextDouble() - 0.5),
                    Enumerable.Range(0, points).Select(_ => rng.NextDouble()).ToArray(),
                    Enumerable.Range(0, points).Select(_ => rng.NextDouble()).ToArray(), rng.NextDouble()));
            }
        return rows;
    }

    [Fact]
    public void FiguresAreTheMeansOfTheRowsAndAdccComesFromTheMeans()
    {
        var rows = Rows(5, ["gradcam", "shapleycam"], 4, 1);
        var s = EvaluationSummaries.Summarize("shapleycam", rows);
        var mine = rows.Where(r => r.Method == "shapleycam").ToList();
        Assert.Equal(5, s.Images);
        Assert.Equal(mine.Average(r => Math.Max(0, r.Y - r.O) / r.Y), s.AverageDrop, 12);
        Assert.Equal(mine.Average(r => r.O > r.Y ? 1.0 : 0.0), s.IncreaseInConfidence, 12);
        Assert.Equal(mine.Average(r => Math.Max(0, r.Y - r.D) / r.Y), s.AverageDropInDeletion, 12);
        Assert.Equal(mine.Average(r => r.Complexity), s.Complexity, 12);
        double coh = mine.Average(r => r.Coherency!.Value);
        Assert.Equal(coh, s.Coherency!.Value, 12);
        double adcc = 3 / (1 / coh + 1 / (1 - s.Complexity) + 1 / (1 - s.AverageDrop));
        Assert.Equal(adcc, s.Adcc!.Value, 12);
        Assert.Equal(mine.Average(r => r.Road!.Combined), s.RoadCombined!.Value, 12);
        Assert.Equal(mine.Average(r => r.Seconds), s.SecondsPerImage, 12);

        // trapezoid AUC over [0, 1] with 3 intervals, by hand
        static double Auc(double[] c) => ((c[0] + c[1]) / 2 + (c[1] + c[2]) / 2 + (c[2] + c[3]) / 2) / 3;
        Assert.Equal(mine.Average(r => Auc(r.DeletionCurve!)), s.DeletionAuc!.Value, 12);
        Assert.Equal(mine.Average(r => Auc(r.InsertionCurve!)), s.InsertionAuc!.Value, 12);
        for (int k = 0; k < 4; k++)
        {
            Assert.Equal(mine.Average(r => r.DeletionCurve![k]), s.MeanDeletionCurve![k], 12);
            Assert.Equal(mine.Average(r => r.InsertionCurve![k]), s.MeanInsertionCurve![k], 12);
        }
    }

    [Fact]
    public void TheOrderOfTheRowsDoesNotChangeASingleBit()
    {
        var rows = Rows(9, ["gradcam", "random"], 5, 2);
        var shuffled = rows.OrderBy(_ => Guid.NewGuid()).ToList();
        foreach (var m in new[] { "gradcam", "random" })
            Assert.Equal(Fields(EvaluationSummaries.Summarize(m, rows)), Fields(EvaluationSummaries.Summarize(m, shuffled)));
    }

    [Fact]
    public void FamiliesMissingFromAnyRowAreNull()
    {
        var rows = Rows(3, ["gradcam"], 3, 3, coherency: false);
        rows[1] = rows[1] with { Road = null, DeletionCurve = null };
        var s = EvaluationSummaries.Summarize("gradcam", rows);
        Assert.Null(s.Coherency);
        Assert.Null(s.Adcc);
        Assert.Null(s.RoadCombined);
        Assert.Null(s.DeletionAuc);
        Assert.Null(s.MeanDeletionCurve);
        Assert.NotNull(s.InsertionAuc);
        Assert.True(double.IsFinite(s.AverageDrop));
    }

    [Fact]
    public void CurvesOfDifferentLengthsAreRejectedNamingTheImages()
    {
        var rows = Rows(2, ["gradcam"], 3, 4);
        rows[1] = rows[1] with { DeletionCurve = [1, 0.5] };
        var e = Assert.Throws<ArgumentException>(() => EvaluationSummaries.Summarize("gradcam", rows));
        Assert.Contains("img01.png", e.Message);
        Assert.Contains("deletion", e.Message);
    }

    [Fact]
    public void ReportCountsDistinctImagesAndNamesTheMetrics()
    {
        var rows = Rows(4, ["gradcam", "shapleycam"], 3, 5);
        var r = EvaluationSummaries.Report("m.onnx", "627", "rest", "1/3", ["shapleycam", "gradcam"], rows,
            EvaluationMetrics.Adcc | EvaluationMetrics.Insertion);
        Assert.Equal(4, r.Images);
        Assert.Equal(["shapleycam", "gradcam"], r.Results.Select(s => s.Method));
        Assert.Equal(["adcc", "insertion"], r.Metrics!);
    }

    [Theory]
    [InlineData("adcc,road,deletion,insertion", EvaluationMetrics.All)]
    [InlineData(" Deletion , adcc", EvaluationMetrics.Deletion | EvaluationMetrics.Adcc)]
    [InlineData("insertion", EvaluationMetrics.Insertion)]
    public void MetricNamesParse(string text, EvaluationMetrics expected) =>
        Assert.Equal(expected, EvaluationMetricNames.Parse(text));

    [Theory]
    [InlineData("adcc,roads")]
    [InlineData(" , ")]
    public void UnknownOrNoMetricNamesAreRejected(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => EvaluationMetricNames.Parse(text));
        Assert.Contains("adcc, road, deletion, insertion", e.Message);
    }

    internal static object?[] Fields(MethodSummary s) =>
        [s.Method, s.Images, s.AverageDrop, s.IncreaseInConfidence, s.AverageDropInDeletion, s.Coherency, s.Complexity, s.Adcc,
         s.RoadCombined, s.DeletionAuc, s.InsertionAuc, s.SecondsPerImage, s.MeanDeletionCurve, s.MeanInsertionCurve];
}
