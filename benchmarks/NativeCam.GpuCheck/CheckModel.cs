using System.Text.Json;
using NativeCam.Cam;
using NativeCam.Cam.Images;
using NativeCam.Importers.Onnx;
using NativeCam.Kernels;
using NativeCam.Engine.Graph;
using NativeCam.Importers;

namespace NativeCam.GpuCheck;

/// <summary>A model of the check: how to import it on a backend, its input, and its CAM target (null: auto).</summary>
/// <param name="Name">A short name for reports.</param>
/// <param name="Load">Imports the model (batch 1) on a backend.</param>
/// <param name="Input">The comparison input, [1, 3, H, W] row-major.</param>
/// <param name="InputShape">[1, 3, H, W].</param>
/// <param name="Layer">The CAM target tensor (null: the explainer's automatic choice).</param>
public sealed record CheckModel(string Name, Func<IKernels, Model> Load, Func<float[]> Input, int[] InputShape, string? Layer)
{
    /// <summary>The embedded int8 MobileNetV2 on the sample photo Cam/samples/chelsea.png.</summary>
    public static CheckModel MobileNetV2(string repo) =>
        new("mobilenetv2-int8", b => DefaultModel.Load(new OnnxImportOptions { Backend = b }), () => Photo(repo), [1, 3, 224, 224], null);

    /// <summary>The full-size ResNet-50 file (224×224) on the sample photo.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static CheckModel ResNet50(string path, string repo)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such model file (make it with tests/fixtures/make_fixtures.py --full-size resnet50 --out {path})", path);
        return new("resnet50-full", b => OnnxModel.Load(path, new OnnxImportOptions { Backend = b }), () => Photo(repo), [1, 3, 224, 224], null);
    }

    /// <summary>
    /// The fixture models of tests/fixtures/models/manifest.json (those named in <paramref name="names"/>, or all), each
    /// with its stored input and the CAM target the manifest names.
    /// </summary>
    /// <exception cref="ArgumentException">A name that the manifest does not list.</exception>
    public static List<CheckModel> Fixtures(string repo, IReadOnlyList<string>? names)
    {
        string dir = Path.Combine(repo, "tests", "fixtures", "models");
        string manifestPath = Path.Combine(dir, "manifest.json");
        if (!File.Exists(manifestPath)) throw new FileNotFoundException($"{manifestPath}: not found (run from the repository root or pass --repo)", manifestPath);
        using var manifest = JsonDocument.Parse(File.ReadAllText(manifestPath));
        var models = manifest.RootElement.GetProperty("models");
        var listed = models.EnumerateObject().Select(p => p.Name).ToList();
        foreach (var n in names ?? []) if (!listed.Contains(n)) throw new ArgumentException($"--fixtures: '{n}' is not in {manifestPath} ({string.Join(", ", listed)})");
        var result = new List<CheckModel>();
        foreach (var name in names ?? listed)
        {
            var m = models.GetProperty(name);
            string file = Path.Combine(dir, m.GetProperty("file").GetString()!);
            string inputFile = Path.Combine(dir, m.GetProperty("input_file").GetString()!);
            int[] shape = m.GetProperty("input_shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            string layer = m.GetProperty("cam_target").GetProperty("tensor").GetString()!;
            result.Add(new CheckModel(name, b => OnnxModel.Load(file, new OnnxImportOptions { Backend = b }),
                () => NpyReader.Read(inputFile).Values, shape, layer));
        }
        return result;
    }

    /// <summary>Seeded standard-normal values (Box–Muller): a synthetic batch for the throughput.</summary>
    public static float[] RandomInput(int count, int seed)
    {
        var r = new Random(seed);
        var x = new float[count];
        for (int i = 0; i < count; i++)
            x[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble()));
        return x;
    }

    private static float[] Photo(string repo)
    {
        string path = Path.Combine(repo, "Cam", "samples", "chelsea.png");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: not found (run from the repository root or pass --repo)", path);
        return ImageNetPreprocessor.Preprocess(new ImageLoader().Load(path)).Chw;
    }
}
