using System.Reflection;
using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using Onnx;
using Tensor = NativeCam.Engine.Tensor;
using NativeCam.Engine.Graph;

namespace NativeCam.Importers.Tests;

/// <summary>
/// The ML.NET ResNet18 featurizer (NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1): a CNTK 2.6 export with
/// IR 3, opset 8, asymmetric pads on the strided convs, unfolded
/// BatchNormalization, MaxPool and AveragePool. Compared with ONNX Runtime on a seeded input and on a photo.
/// </summary>
public class ResNet18FeaturizerTests
{
    private static readonly int[] InputShape = [1, 3, 224, 224];

    // features are post-ReLU averages of order 0..10 (many exactly or nearly 0); float32 accumulation order differs
    // between the engine's convolutions and ORT's, so near-zero features need an absolute floor next to the 1e-4
    // relative. Measured: max |Δ| ≈ 5e-6, max relative ≈ 2e-5 where |ort| > 1e-2.
    private const double Rtol = 1e-4, Atol = 1e-5;

    /// <summary>The model file in the restored package (copied to the test output by the package's build props).</summary>
    public static string ModelPath()
    {
        const string rel = "DnnImageModels/ResNet18Onnx/ResNet18.onnx";
        var candidates = new List<string> { Path.Combine(AppContext.BaseDirectory, rel) };
        var root = typeof(ResNet18FeaturizerTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ResNet18PackageRoot")?.Value;
        if (!string.IsNullOrEmpty(root)) candidates.Add(Path.Combine(root, "tools", rel));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"ResNet18.onnx not found (looked in {string.Join(", ", candidates)}); restore the test project");
    }

    [Fact]
    public void ModelHasTheExpectedLegacyTraits()
    {
        var m = ModelProto.Parser.ParseFrom(File.ReadAllBytes(ModelPath()));
        Assert.Equal(3, m.IrVersion);
        Assert.Equal(8, m.OpsetImport.Single(o => o.Domain is "" or "ai.onnx").Version);
        // this file lists only the data input (IR 3 would allow the initializers there too; BadInput tests cover that)
        Assert.Equal("Input247", m.Graph.Input.Single().Name);
        Assert.Equal(110, m.Graph.Initializer.Count);
        Assert.Contains(m.Graph.Node, n => n.OpType == "Conv" && n.Attribute.Any(a => a.Name == "pads" && a.Ints[0] != a.Ints[2]));
        Assert.Equal(22, m.Graph.Node.Count(n => n.OpType == "BatchNormalization"));
    }

    [Fact]
    public void FeaturesMatchOrtOnSeededInput()
    {
        var input = OrtPeer.RandomInput(InputShape, seed: 7, lo: 0, hi: 255);
        var model = OnnxModel.Load(ModelPath());
        Assert.Equal(InputShape, model.InputShape);
        Compare(model, input, "seeded");
    }

    [Fact]
    public void FeaturesMatchOrtOnPhoto()
    {
        var model = OnnxModel.Load(ModelPath());
        Compare(model, PhotoTensor("rocket.jpg"), "rocket.jpg");
    }

    private static void Compare(Model model, float[] input, string what)
    {
        var (expected, shape) = OrtPeer.Run(ModelPath(), input, InputShape);
        Assert.Equal([1, 512, 1, 1], shape);
        var ours = model.Run(Tensor.FromArray(input, InputShape));
        Assert.Equal(shape, ours.Shape);
        var actual = ours.ToFloatArray();
        double worstRel = 0, worstAbs = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double err = Math.Abs(actual[i] - expected[i]);
            worstAbs = Math.Max(worstAbs, err);
            if (Math.Abs(expected[i]) > 1e-2) worstRel = Math.Max(worstRel, err / Math.Abs(expected[i]));
            if (!(err <= Atol + Rtol * Math.Abs(expected[i])))
                Assert.Fail($"{what}: feature {i} is {actual[i]}, ORT gives {expected[i]} (rtol {Rtol}, atol {Atol})");
        }
        Console.WriteLine($"ResNet18 {what}: max |Δ| {worstAbs:E2}, max relative {worstRel:E2} (|ort| > 1e-2), max |ort| {expected.Max(Math.Abs):F3}");
        Assert.True(expected.Any(v => v > 0.1f), "the features are not all near zero");
    }

    /// <summary>
    /// A photo as the featurizer's input: the torchvision resize/crop to 224² (shared preprocessing), mapped back to
    /// RGB 0..255 minus a flat per-channel mean (ResNetPreprocess.onnx subtracts a mean image; a flat mean is a
    /// realistic stand-in for the comparison).
    /// </summary>
    private static float[] PhotoTensor(string name)
    {
        var t = ImageNetInput.Preprocess(TestData.Photo(name));
        float[] mean = [123.68f, 116.78f, 103.94f];
        int plane = 224 * 224;
        for (int i = 0; i < t.Length; i++)
        {
            int c = i / plane;
            t[i] = (t[i] * ImageNetInput.Std[c] + ImageNetInput.Mean[c]) * 255f - mean[c];
        }
        return t;
    }
}
