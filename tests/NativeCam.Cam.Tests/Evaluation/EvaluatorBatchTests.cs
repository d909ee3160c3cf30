using NativeCam.Cam.Evaluation;
using NativeCam.Cam.Images;
using NativeCam.Importers;
using NativeCam.Importers.Onnx;
using NativeCam.Kernels.Cpu;

namespace NativeCam.Cam.Tests.Evaluation;

/// <summary>An evaluation batch (one forward pass and probe for several images) scores each image exactly as alone.</summary>
public class EvaluatorBatchTests
{
    private static float[] Photo(string name) =>
        ImageNetPreprocessor.Preprocess(new ImageLoader().Load(RepoPaths.Repo($"Cam/samples/{name}"))).Chw;

    [Fact]
    public void ABatchScoresEachImageAsAloneBitwise()
    {
        var model = DefaultModel.Load(new OnnxImportOptions { Backend = new CpuKernels(threads: 2) });
        var evaluator = new Evaluator(model, new EvaluationOptions
        {
            Methods = ["gradcam", "random"],
            Metrics = EvaluationMetrics.Adcc,
            Seed = 4,
        });
        EvaluationInput[] images = [new("chelsea", Photo("chelsea.png"), 7), new("coffee", Photo("coffee.png"), 12)];
        var batch = evaluator.EvaluateBatch(images);
        Assert.Equal(2, batch.Count);
        for (int i = 0; i < images.Length; i++)
        {
            var alone = evaluator.Evaluate(images[i].Image, images[i].Input, images[i].Index);
            for (int m = 0; m < 2; m++)
            {
                Assert.True(alone.Maps[m].AsSpan().SequenceEqual(batch[i].Maps[m]), $"map {m} of image {i}");
                Assert.Equal(alone.Rows[m] with { Seconds = 0 }, batch[i].Rows[m] with { Seconds = 0 });
            }
        }
        // the random baseline draws anew for another image index, and again for the coherency re-run
        var moved = evaluator.Evaluate("chelsea", images[0].Input, 8);
        Assert.False(moved.Maps[1].AsSpan().SequenceEqual(batch[0].Maps[1]));
    }
}
