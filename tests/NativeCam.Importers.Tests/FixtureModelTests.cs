using System.Text.Json;
using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using Xunit.Abstractions;
using Tensor = NativeCam.Engine.Tensor;

namespace NativeCam.Importers.Tests;

/// <summary>
/// Every fixture model (tests/fixtures/models/manifest.json) imports, matches ONNX Runtime on its stored input, and
/// exposes its CAM target tensor with the manifest's shape.
/// </summary>
public class FixtureModelTests(ITestOutputHelper output)
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "fixtures", "models");

    private static JsonElement Manifest(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "manifest.json")));
        return doc.RootElement.GetProperty("models").GetProperty(name).Clone();
    }

    private static string[] Names()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "manifest.json")));
        return doc.RootElement.GetProperty("models").EnumerateObject().Select(m => m.Name).ToArray();
    }

    public static TheoryData<string> Models() => new(Names());

    [Fact]
    public void ManifestListsTheEightModels() =>
        Assert.Equal(["efficientnet_b0", "mobilenet_v2", "resnet18", "resnet50", "resnext50_32x4d", "swin_t", "vgg16", "vit_b_16"],
            Names().Order(StringComparer.Ordinal).ToArray());

    [Theory]
    [MemberData(nameof(Models))]
    public void MatchesOrtOnStoredInput(string name)
    {
        var m = Manifest(name);
        string path = Path.Combine(Folder, m.GetProperty("file").GetString()!);
        var (input, shape) = Npy.ReadFloat32(Path.Combine(Folder, m.GetProperty("input_file").GetString()!));
        Assert.Equal(m.GetProperty("input_shape").EnumerateArray().Select(e => e.GetInt32()), shape);

        var model = OnnxModel.Load(path);
        Assert.Equal(shape, model.InputShape);

        // the CAM target exists with the manifest's shape
        var cam = m.GetProperty("cam_target");
        string target = cam.GetProperty("tensor").GetString()!;
        Assert.True(model.TensorShapes.TryGetValue(target, out var camShape), $"{name}: CAM target '{target}' is not a run-time tensor");
        Assert.Equal(cam.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()), camShape!);

        // shape arithmetic and Swin's attention masks (ConstantOfShape + ScatterND) fold at import
        Assert.DoesNotContain(model.Graph.Nodes, n => n.OpType is "Shape" or "ConstantOfShape" or "Range" or "ScatterND" or "Equal" or "Not" or "Mod");
        var runTime = model.Graph.Nodes.GroupBy(n => n.OpType).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}");
        output.WriteLine($"{name}: {model.Graph.Nodes.Count} run-time nodes: {string.Join(", ", runTime)}");

        var (expected, expectedShape) = OrtPeer.Run(path, input, shape);
        var ours = model.Run(Tensor.FromArray(input, shape));
        Assert.Equal(expectedShape, ours.Shape);
        Assert.Equal(m.GetProperty("output_shape").EnumerateArray().Select(e => e.GetInt32()), ours.Shape);
        var actual = ours.ToFloatArray();
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double err = Math.Abs(actual[i] - expected[i]);
            worst = Math.Max(worst, err / (1e-4 + 1e-4 * Math.Abs(expected[i])));
            Assert.True(err <= 1e-4 + 1e-4 * Math.Abs(expected[i]), $"{name}: logit {i} is {actual[i]}, ORT gives {expected[i]}");
        }
        output.WriteLine($"{name}: max |ours − ort| / (1e-4 + 1e-4·|ort|) = {worst:G3}, max |logit| {expected.Max(Math.Abs):G3}");
    }
}
