using NativeCam.Cam.Evaluation;
using NativeCam.Cam.Images;
using NativeCam.Cam.Metrics;
using NativeCam.Engine;
using NativeCam.Engine.Graph;
using NativeCam.Importers.Onnx;

namespace NativeCam.Cam.Tests.Evaluation;

/// <summary>
/// The metrics send their masked images through the model in chunks of at most <see cref="EvaluationOptions.MaxBatch"/>
/// images; the scores are those of one big batch, bit for bit.
/// </summary>
public class MetricChunkingTests
{
    private static readonly Lazy<Model> Model = new(() => OnnxModel.Load(TestData.FloatModel));

    private static float[] Photo(string name) =>
        ImageNetPreprocessor.Preprocess(new ImageLoader().Load(RepoPaths.Repo($"Cam/samples/{name}"))).Chw;

    private static ImageResult[] Evaluate(int maxBatch, float[] x)
    {
        var evaluator = new Evaluator(Model.Value, new EvaluationOptions
        {
            Methods = ["gradcam"],
            Metrics = EvaluationMetrics.All,
            CurveSteps = 6,
            MaxBatch = maxBatch,
        });
        Assert.Equal(maxBatch, evaluator.MaxBatch);
        return [.. evaluator.Evaluate("coffee.png", x).Rows];
    }

    /// <summary>64: every metric's images in one call (3 for Y/O/D, 8 for ROAD, 7 per curve); 1, 5 and 6: chunks and
    /// remainders. Bit for bit: no kernel mixes images, and the dense head's GEMM sums each row in one order up to 64
    /// rows.</summary>
    [Fact]
    public void ChunkedMetricsScoreAsOneBigBatch()
    {
        var x = Photo("coffee.png");
        var whole = Evaluate(64, x)[0];
        foreach (int maxBatch in new[] { 1, 5, 6 })
        {
            var chunked = Evaluate(maxBatch, x)[0];
            Assert.Equal((whole.Y, whole.O, whole.D, whole.Coherency), (chunked.Y, chunked.O, chunked.D, chunked.Coherency));
            Assert.Equal(whole.Road!.MoRF, chunked.Road!.MoRF);
            Assert.Equal(whole.Road.LeRF, chunked.Road.LeRF);
            Assert.Equal(whole.DeletionCurve, chunked.DeletionCurve);
            Assert.Equal(whole.InsertionCurve, chunked.InsertionCurve);
        }
    }

    [Fact]
    public void TheProbabilityModelCallsTheClassifierInChunksOfAtMostMaxBatch()
    {
        var sizes = new List<int>();
        Tensor Probabilities(Tensor batch)
        {
            sizes.Add(batch.Shape[0]);
            // a per-image function of the input: the mean of each image, as one probability of two
            var data = batch.ToFloatArray();
            int n = batch.Shape[0], size = data.Length / n;
            var p = new float[2 * n];
            for (int i = 0; i < n; i++)
            {
                p[2 * i] = data.AsSpan(i * size, size).ToArray().Average();
                p[2 * i + 1] = 1 - p[2 * i];
            }
            return Tensor.FromArray(p, [n, 2]);
        }
        var model = ProbabilityModels.FromTensor(Probabilities, 1, 2, 2, maxBatch: 3);
        var inputs = Enumerable.Range(0, 7).Select(i => new float[] { i, i + 1, i + 2, i + 3 }).ToArray();
        var rows = model(inputs);
        Assert.Equal([3, 3, 1], sizes);
        Assert.Equal(inputs.Length, rows.Length);
        for (int i = 0; i < inputs.Length; i++) Assert.Equal(inputs[i].Average(), rows[i][0]);
        sizes.Clear();
        rows = ProbabilityModels.FromTensor(Probabilities, 1, 2, 2, maxBatch: 6)([.. inputs, .. inputs]);
        Assert.Equal([6, 6, 2], sizes); // 14 = 6 + 6 + 2
        for (int i = 0; i < 2 * inputs.Length; i++) Assert.Equal(inputs[i % inputs.Length].Average(), rows[i][0]);
        sizes.Clear();
        model = ProbabilityModels.FromTensor(Probabilities, 1, 2, 2, maxBatch: 5);
        rows = model(inputs);
        Assert.Equal([5, 2], sizes);
        Assert.Equal(inputs.Length, rows.Length);
        for (int i = 0; i < inputs.Length; i++) Assert.Equal(inputs[i].Average(), rows[i][0]);
        sizes.Clear();
        model(inputs.Take(2).ToArray());
        Assert.Equal([2], sizes); // fewer images than maxBatch: one call of that many
    }

    [Fact]
    public void TheDefaultChunkFitsTheBudgetFromTheModelsLargestNode()
    {
        var model = Model.Value;
        long largest = MetricBatch.LargestNodeBytes(model);
        // MobileNetV2's largest node: the depthwise convolution reading 96×112×112 and writing 96×56×56 floats, or larger
        Assert.True(largest >= 4L * (96 * 112 * 112 + 96 * 56 * 56), $"largest node {largest} bytes");
        int chunk = MetricBatch.For(model);
        Assert.InRange(chunk, 1, MetricBatch.Largest);
        Assert.True(3 * largest * chunk <= MetricBatch.DefaultBudgetBytes, $"{chunk} images of {largest} bytes exceed the budget");
        Assert.True(3 * largest * (chunk + 1) > MetricBatch.DefaultBudgetBytes || chunk == MetricBatch.Largest, "the chunk could be larger");
        Assert.Equal(1, MetricBatch.For(model, budgetBytes: 1));
        Assert.Equal(MetricBatch.Largest, MetricBatch.For(model, budgetBytes: long.MaxValue / 4));
    }

    [Fact]
    public void TheEvaluatorsChunkFitsThePlansOfAllItsBatchSizesInTheBudget()
    {
        var model = Model.Value;
        long perImage = 3 * MetricBatch.LargestNodeBytes(model);
        int[] calls = [1, 3, 33, 8]; // the default metrics: one image, Y/O/D, a curve, ROAD
        Assert.Equal(new SortedSet<int> { 1, 3, 5, 7 }, MetricBatch.ChunkSizes(calls, 7));
        int chunk = MetricBatch.For(model, calls);
        Assert.True(MetricBatch.ChunkSizes(calls, chunk).Sum() * perImage <= MetricBatch.DefaultBudgetBytes, $"chunk {chunk}");
        for (int larger = chunk + 1; larger <= MetricBatch.Largest; larger++)
            Assert.True(MetricBatch.ChunkSizes(calls, larger).Sum() * perImage > MetricBatch.DefaultBudgetBytes, $"chunk {larger} fits too");
        Assert.Equal(1, MetricBatch.For(model, calls, budgetBytes: 1));
        Assert.Equal(chunk, new Evaluator(model, new EvaluationOptions { Methods = ["gradcam"] }).MaxBatch);
    }
}
