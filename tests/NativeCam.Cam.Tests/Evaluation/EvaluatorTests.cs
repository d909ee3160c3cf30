using NativeCam.Cam.Evaluation;
using NativeCam.Cam.Images;
using NativeCam.Cam.Metrics;
using NativeCam.Engine;
using NativeCam.Importers.Onnx;
using NativeCam.Engine.Graph;

namespace NativeCam.Cam.Tests.Evaluation;

/// <summary>The evaluator on the float MobileNetV2 and two photos, against the metrics recomputed here from plain model runs.</summary>
public class EvaluatorTests
{
    private static readonly Lazy<Model> Model = new(() => OnnxModel.Load(TestData.FloatModel));
    private const int Steps = 4;

    private static float[] Photo(string name) =>
        ImageNetPreprocessor.Preprocess(new ImageLoader().Load(RepoPaths.Repo($"Cam/samples/{name}"))).Chw;

    private static float[] Softmax(float[] x)
    {
        using var t = Tensor.FromArray(x, [1, 3, 224, 224]);
        using var logits = Model.Value.Run(t);
        double max = logits.ToFloatArray().Max();
        var e = logits.ToFloatArray().Select(v => Math.Exp(v - max)).ToArray();
        return e.Select(v => (float)(v / e.Sum())).ToArray();
    }

    private static float[] Times(float[] x, Func<int, double> maskAtPixel)
    {
        var r = new float[x.Length];
        for (int i = 0; i < x.Length; i++) r[i] = (float)(x[i] * maskAtPixel(i % (224 * 224)));
        return r;
    }

    private static double ReferencePearson(float[] a, float[] b)
    {
        double ma = a.Average(v => (double)v), mb = b.Average(v => (double)v), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.Sqrt(saa * sbb);
    }

    /// <summary>Probabilities agree to 1e-5: the evaluator runs masked images in batches, the reference one at a time,
    /// and a batch may round the last float bits differently.</summary>
    private static void Close(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-5, $"expected {expected}, got {actual} (|Δ| = {Math.Abs(expected - actual):G3})");

    [Fact]
    public void EveryScoreMatchesTheMetricRecomputedFromPlainModelRuns()
    {
        string[] methods = ["gradcam", "shapleycam"];
        var evaluator = new Evaluator(Model.Value, new EvaluationOptions
        {
            Methods = methods,
            Metrics = EvaluationMetrics.Adcc | EvaluationMetrics.Deletion | EvaluationMetrics.Insertion,
            CurveSteps = Steps,
        });
        Assert.Equal(["627"], evaluator.Layers);
        var explainer = new Explainer(Model.Value);
        foreach (var name in new[] { "coffee.png", "chelsea.png" })
        {
            var x = Photo(name);
            var result = evaluator.Evaluate(name, x);
            Assert.Equal(methods, result.Rows.Select(r => r.Method));
            using var input = Tensor.FromArray(x, [1, 3, 224, 224]);
            var explanation = explainer.Explain(input, new ExplainOptions { Methods = methods });
            var p = Softmax(x);
            int c = Array.IndexOf(p, p.Max());
            double blank = Softmax(new float[x.Length])[c];
            for (int m = 0; m < methods.Length; m++)
            {
                var row = result.Rows[m];
                var map = explanation.Methods[m].Maps[0];
                Assert.Equal(map, result.Maps[m]);
                Assert.Equal((name, c), (row.Image, row.ClassIndex));
                Close(p[c], row.Y);
                Close(Softmax(Times(x, i => map[i]))[c], row.O);
                Close(Softmax(Times(x, i => 1 - map[i]))[c], row.D);
                Assert.Equal(map.Average(v => (double)v), row.Complexity, 9);

                // m′: the same method and class on x ⊙ m
                using var kept = Tensor.FromArray(Times(x, i => map[i]), [1, 3, 224, 224]);
                var again = explainer.Explain(kept, new ExplainOptions { Methods = [methods[m]], Classes = [c] }).Methods[0].Maps[0];
                Assert.Equal((ReferencePearson(map, again) + 1) / 2, row.Coherency!.Value, 6);

                // curves: nothing / all removed at the ends, half of the pixels (highest map first) at the middle
                var (del, ins) = (row.DeletionCurve!, row.InsertionCurve!);
                Assert.Equal(Steps + 1, del.Length);
                Assert.Equal(Steps + 1, ins.Length);
                Close(p[c], del[0]);
                Close(blank, del[Steps]);
                Close(blank, ins[0]);
                Close(p[c], ins[Steps]);
                var top = Enumerable.Range(0, map.Length).OrderByDescending(i => map[i]).ThenBy(i => i).Take(map.Length / 2).ToHashSet();
                Close(Softmax(Times(x, i => top.Contains(i) ? 0 : 1))[c], del[Steps / 2]);
                Close(Softmax(Times(x, i => top.Contains(i) ? 1 : 0))[c], ins[Steps / 2]);
                Assert.Null(row.Road);
                Assert.True(row.Seconds > 0);
            }
        }
    }

    [Fact]
    public void OnlyTheRequestedFamiliesAreComputed()
    {
        var evaluator = new Evaluator(Model.Value, new EvaluationOptions
        {
            Methods = ["gradcam"], Metrics = EvaluationMetrics.Insertion, CurveSteps = 2,
        });
        var row = Assert.Single(evaluator.Evaluate("coffee.png", Photo("coffee.png")).Rows);
        Assert.Null(row.Coherency);
        Assert.Null(row.Road);
        Assert.Null(row.DeletionCurve);
        Assert.Equal(3, row.InsertionCurve!.Length);
        var s = EvaluationSummaries.Summarize("gradcam", [row]);
        Assert.Null(s.Adcc);
        Assert.Null(s.DeletionAuc);
        Assert.Equal(PixelCurves.TrapezoidAuc(row.InsertionCurve), s.InsertionAuc!.Value, 12);
    }

    [Fact]
    public void UnknownMethodsAndWrongInputSizesAreRejected()
    {
        Assert.Contains("unknown method 'gradcan'",
            Assert.Throws<ArgumentException>(() => new Evaluator(Model.Value, new EvaluationOptions { Methods = ["gradcan"] })).Message);
        var evaluator = new Evaluator(Model.Value, new EvaluationOptions { Methods = ["gradcam"], Metrics = EvaluationMetrics.None });
        Assert.Contains("small.png: input of 12 values", Assert.Throws<ArgumentException>(() => evaluator.Evaluate("small.png", new float[12])).Message);
    }
}
