using NativeCam.Cam.Images;
using NativeCam.Cam.Methods;
using NativeCam.Engine;
using NativeCam.Importers;
using NativeCam.Importers.Onnx;
using NativeCam.Kernels.Cpu;

namespace NativeCam.Cam.Tests.Methods;

/// <summary>
/// A batch of up to 64 images gives each image exactly (bitwise, at a fixed thread count) the maps it gets alone: the
/// forward pass, the probe and the CAM stage never mix images, and the random baseline seeds each image by its
/// index in the run, not by its place in the batch.
/// </summary>
public class BatchedExplainTests
{
    private static float[] Photo(string name)
    {
        var photo = new ImageLoader().Load(RepoPaths.Repo(Path.Combine("Cam", "samples", name)));
        return ImageNetPreprocessor.Preprocess(photo).Chw;
    }

    [Fact]
    public void ABatchEqualsItsImagesAloneBitwise()
    {
        var backend = new CpuKernels(threads: 2);
        var explainer = new Explainer(DefaultModel.Load(new OnnxImportOptions { Backend = backend }));
        var noise = Tensor.Uniform([1, 3, 224, 224], 5, -2, 2).ToFloatArray();
        float[][] images = [Photo("chelsea.png"), noise, Photo("coffee.png")];
        string[] methods = ["gradcam", "shapleycam", "shapleycam-e", "gradcam++", "xgradcam", "layercam", "hirescam", "random", "eigencam"];
        var options = new ExplainOptions { Methods = methods, Seed = 7, ImageIndex = 10 };

        var batch = explainer.Explain(Tensor.FromArray(images.SelectMany(x => x).ToArray(), [3, 3, 224, 224], backend), options);
        for (int i = 0; i < images.Length; i++)
        {
            var alone = explainer.Explain(Tensor.FromArray(images[i], [1, 3, 224, 224], backend), options with { ImageIndex = 10 + i });
            Assert.Equal(alone.Classes[0], batch.Classes[i]);
            Assert.Equal(alone.Probabilities[0], batch.Probabilities[i]);
            for (int m = 0; m < methods.Length; m++)
                Assert.True(alone.Methods[m].Maps[0].AsSpan().SequenceEqual(batch.Methods[m].Maps[i]), $"{methods[m]}, image {i}");
        }
    }

    /// <summary>
    /// Above 4 images the dense head's GEMM runs its few-rows kernel 4 rows at a time (up to 64 rows), so a batch of
    /// 16 is still bitwise its images alone.
    /// </summary>
    [Fact]
    public void ABatchOfSixteenEqualsItsImagesAloneBitwise()
    {
        var backend = new CpuKernels(threads: 2);
        var explainer = new Explainer(DefaultModel.Load(new OnnxImportOptions { Backend = backend }));
        var images = Enumerable.Range(0, 16).Select(i => i == 0 ? Photo("chelsea.png") : i == 1 ? Photo("coffee.png")
            : Tensor.Uniform([1, 3, 224, 224], 40 + i, -2, 2).ToFloatArray()).ToArray();
        string[] methods = ["gradcam", "shapleycam", "random"];
        var options = new ExplainOptions { Methods = methods };
        var batch = explainer.Explain(Tensor.FromArray(images.SelectMany(x => x).ToArray(), [16, 3, 224, 224], backend), options);
        foreach (int i in new[] { 0, 1, 5, 15 })
        {
            var alone = explainer.Explain(Tensor.FromArray(images[i], [1, 3, 224, 224], backend), options with { ImageIndex = i });
            Assert.Equal(alone.Classes[0], batch.Classes[i]);
            Assert.Equal(alone.Probabilities[0], batch.Probabilities[i]);
            for (int m = 0; m < methods.Length; m++)
                Assert.True(alone.Methods[m].Maps[0].AsSpan().SequenceEqual(batch.Methods[m].Maps[i]), $"{methods[m]}, image {i}");
        }
    }

    [Fact]
    public void RandomDrawsAfreshPerImageAndCallYetReproducibly()
    {
        var explainer = new Explainer(DefaultModel.Load());
        var x = Tensor.FromArray(Photo("chelsea.png"), [1, 3, 224, 224]);
        float[] Map(int seed, long index, int call) => explainer.Explain(x,
            new ExplainOptions { Methods = ["random"], Seed = seed, ImageIndex = index, Call = call }).Methods[0].Maps[0];
        var first = Map(1, 0, 0);
        Assert.Equal(first, Map(1, 0, 0));
        Assert.NotEqual(first, Map(1, 1, 0));
        Assert.NotEqual(first, Map(1, 0, 1));
        Assert.NotEqual(first, Map(2, 0, 0));
        // distinct (seed, image, call) triples give distinct seeds
        var seeds = new HashSet<int>();
        for (int s = 0; s < 4; s++)
            for (int i = 0; i < 50; i++)
                for (int c = 0; c < 2; c++) seeds.Add(RandomCam.SeedOf(s, i, c));
        Assert.Equal(400, seeds.Count);
    }
}
