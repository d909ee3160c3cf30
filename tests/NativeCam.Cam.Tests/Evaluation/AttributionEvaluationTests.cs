using NativeCam.Cam.Attribution;
using NativeCam.Cam.Evaluation;
using NativeCam.Cam.Methods;
using NativeCam.Cam.Metrics;
using NativeCam.Cam.Shapley;
using NativeCam.Engine;
using NativeCam.Engine.Graph;

namespace NativeCam.Cam.Tests.Evaluation;

/// <summary>The attribution metrics through the evaluator on the small CNN, recomputed here from plain explanations and model runs.</summary>
public class AttributionEvaluationTests
{
    private static readonly Model Cnn = Methods.SmallCnn.Load();
    private const EvaluationMetrics Asked = EvaluationMetrics.Arcc | EvaluationMetrics.FaithfulnessCorrelation |
        EvaluationMetrics.Monotonicity | EvaluationMetrics.ModelRandomization | EvaluationMetrics.RandomLogit;

    private static EvaluationOptions Options(params string[] methods) => new()
    {
        Methods = methods,
        Layers = [Methods.SmallCnn.Target],
        Metrics = Asked,
        Seed = 5,
        BatchSize = 8,
        Parameters = new MethodParameters
        {
            Attribution = new AttributionParameters
            {
                Steps = 4, Masks = 16, Window = 4, Stride = 4,
                Metrics = new AttributionMetricParameters { FaithfulnessRuns = 12, FaithfulnessSubset = 20, MonotonicityStep = 16, RandomizedLayers = 3 },
            },
        },
    };

    private static float[] Softmax(float[] logits)
    {
        double max = logits.Max();
        var e = logits.Select(v => Math.Exp(v - max)).ToArray();
        return e.Select(v => (float)(v / e.Sum())).ToArray();
    }

    private static float[] Logits(float[] x) => Cnn.Run(Tensor.FromArray(x, [1, 3, 16, 16])).ToFloatArray();

    private static float[] MapOf(Model model, string method, float[] x, int cls, EvaluationOptions o) =>
        new Explainer(model).Explain(Tensor.FromArray(x, [1, 3, 16, 16]), new ExplainOptions
        {
            Methods = [method], Layers = o.Layers, Utility = o.Utility, Classes = [cls], Seed = o.Seed, BatchSize = o.BatchSize, Parameters = o.Parameters,
        }).Methods[0].Maps[0];

    [Theory]
    [InlineData("gradcam")]
    [InlineData("integrated-gradients")]
    public void EveryAttributionMetricMatchesItsPlainRecomputation(string method)
    {
        var o = Options(method);
        var x = Tensor.Uniform([1, 3, 16, 16], 51, -2, 2).ToFloatArray();
        var result = new Evaluator(Cnn, o).Evaluate("a.png", x);
        var row = result.Rows[0];
        var map = result.Maps[0];
        var a = row.Attribution!;
        int c = row.ClassIndex;

        Assert.NotNull(row.Coherency);
        Assert.NotNull(row.Road);
        Assert.Equal(Arcc.Of(row.Coherency!.Value, row.Complexity, row.Road!.Combined), a.Arcc!.Value, 12);

        // faithfulness correlation: subsets from the documented seed, logits from plain runs
        var xd = Array.ConvertAll(x, v => (double)v);
        var subsets = FaithfulnessCorrelation.Subsets(256, 12, 20, AttributionSeeds.For(5, xd, method + "/faithfulness-correlation"));
        float black = x.Min();
        double y = Logits(x)[c];
        var deltas = new List<double>();
        var sums = new List<double>();
        foreach (var s in subsets)
        {
            var xp = (float[])x.Clone();
            foreach (int q in s) for (int ch = 0; ch < 3; ch++) xp[ch * 256 + q] = black;
            deltas.Add(y - Logits(xp)[c]);
            sums.Add(s.Sum(q => (double)map[q]));
        }
        double expected = RankStatistics.Pearson(sums, deltas);
        Assert.Equal(expected, a.FaithfulnessCorrelation!.Value, 4);

        // monotonicity: pixels inserted 16 at a time in ascending order of the map
        var order = Enumerable.Range(0, 256).OrderBy(q => map[q]).ToArray();
        var xb = Enumerable.Repeat(black, 768).ToArray();
        var probs = new List<double>();
        for (int k = 0; k < 16; k++)
        {
            foreach (int q in order.Skip(16 * k).Take(16)) for (int ch = 0; ch < 3; ch++) xb[ch * 256 + q] = x[ch * 256 + q];
            probs.Add(Softmax(Logits(xb))[c]);
        }
        bool monotonic = probs.Zip(probs.Skip(1), (p, q) => q >= p - 1e-6).All(b => b);
        Assert.Equal(monotonic ? 1.0 : 0.0, a.Monotonic!.Value);

        // model randomisation: the top 1..3 layers re-drawn in cascade
        Assert.Equal(3, a.RandomizationSpearman!.Length);
        for (int k = 1; k <= 3; k++)
        {
            var randomized = MapOf(ModelWeights.Randomized(Cnn, k, 5), method, x, c, o);
            var rho = RankStatistics.Spearman(Array.ConvertAll(map, v => (double)v), Array.ConvertAll(randomized, v => (double)v));
            Assert.Equal(rho, a.RandomizationSpearman[k - 1], 6);
            Assert.Equal(Ssim.Of(map, randomized, 16, 16), a.RandomizationSsim![k - 1], 6);
        }

        // random logit: another class, SSIM with its map
        Assert.NotEqual(c, a.RandomLogitClass!.Value);
        Assert.InRange(a.RandomLogitClass.Value, 0, 3);
        Assert.Equal(Ssim.Of(map, MapOf(Cnn, method, x, a.RandomLogitClass.Value, o), 16, 16), a.RandomLogitSsim!.Value, 6);
    }

    [Fact]
    public void TheRandomOtherClassIsUniformOverTheOthers()
    {
        var counts = new int[5];
        for (int s = 0; s < 4000; s++) counts[AttributionEvaluation.RandomOtherClass(2, 5, s)]++;
        Assert.Equal(0, counts[2]);
        Assert.All(counts.Where((_, i) => i != 2), n => Assert.InRange(n, 850, 1150));
    }

    [Fact]
    public void SummariesReportAndHtmlCarryEveryMetricComputed()
    {
        var o = Options("gradcam", "saliency");
        var evaluator = new Evaluator(Cnn, o);
        var rows = new List<ImageResult>();
        for (int i = 0; i < 2; i++)
            rows.AddRange(evaluator.Evaluate($"{i}.png", Tensor.Uniform([1, 3, 16, 16], 60 + i, -2, 2).ToFloatArray()).Rows);
        var report = EvaluationSummaries.Report("small", "t", "rest", null, o.Methods, rows, o.Metrics);
        foreach (var s in report.Results)
        {
            var mine = rows.Where(r => r.Method == s.Method).ToList();
            Assert.Equal(mine.Average(r => r.Attribution!.Arcc!.Value), s.Attribution!.Arcc!.Value, 12);
            Assert.Equal(mine.Average(r => r.Attribution!.Monotonic!.Value), s.Attribution.Monotonicity!.Value, 12);
            Assert.Equal(mine.Average(r => r.Attribution!.RandomizationSsim![1]), s.Attribution.RandomizationSsim![1], 12);
        }
        var back = EvaluationReportJson.Deserialize(EvaluationReportJson.Serialize(report), "test");
        Assert.Equal(report.PerImage[1].Attribution!.RandomizationSpearman, back.PerImage[1].Attribution!.RandomizationSpearman);
        Assert.Equal(report.Results[0].Attribution!.FaithfulnessCorrelation, back.Results[0].Attribution!.FaithfulnessCorrelation);
        Assert.Equal(["arcc", "faithfulness-correlation", "monotonicity", "model-randomization", "random-logit"], report.Metrics!.Skip(0).Where(m => m is not ("adcc" or "road")));

        var html = HtmlReport.Render(report, null);
        foreach (var id in new[] { "arcc", "faithfulness-correlation", "monotonicity", "model-randomization", "random-logit" })
            Assert.Contains($"<section id=\"{id}\">", html);
        var plain = HtmlReport.Render(report with { Results = report.Results.Select(r => r with { Attribution = null }).ToList() }, null);
        Assert.DoesNotContain("<section id=\"arcc\">", plain);
    }

    [Fact]
    public void TheNewMetricNamesParse()
    {
        Assert.Equal(Asked, EvaluationMetricNames.Parse("arcc, faithfulness-correlation,monotonicity,model-randomization,random-logit"));
        Assert.Contains("random-logit", Assert.Throws<ArgumentException>(() => EvaluationMetricNames.Parse("random-logits")).Message);
    }
}
