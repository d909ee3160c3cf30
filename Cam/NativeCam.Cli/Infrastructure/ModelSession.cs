using NativeCam.Cam;
using NativeCam.Importers.Onnx;
using NativeCam.Kernels;
using NativeCam.Engine.Graph;
using NativeCam.Importers;

namespace NativeCam.Cli.Infrastructure;

/// <summary>A loaded model with its backend, class names and display name.</summary>
public sealed class ModelSession
{
    private ModelSession(Model model, string name, string device, int threads, IReadOnlyList<string>? labels)
    {
        Model = model;
        Name = name;
        Device = device;
        Threads = threads;
        Labels = labels;
    }

    /// <summary>The imported model (batch 1).</summary>
    public Model Model { get; }

    /// <summary>The model file, or the embedded model's name.</summary>
    public string Name { get; }

    /// <summary>The backend in use: "cpu", "cuda" or "ilgpu-cpu".</summary>
    public string Device { get; }

    /// <summary>CPU threads of the kernels.</summary>
    public int Threads { get; }

    /// <summary>ImageNet class names when the model has 1000 classes.</summary>
    public IReadOnlyList<string>? Labels { get; }

    /// <summary>Number of classes (the output's last dimension).</summary>
    public int ClassCount => Model.TensorShapes.TryGetValue(Model.OutputName, out var s) ? s[^1] : 0;

    /// <summary>The model input's height and width.</summary>
    public (int Height, int Width) InputSize => (Model.InputShape[2], Model.InputShape[3]);

    /// <summary>The class name, or "class N".</summary>
    public string LabelOf(int c) => Labels is { } l && c >= 0 && c < l.Count ? l[c] : $"class {c}";

    /// <summary>Opens the model named by --model (or the embedded one) on the backend of --device and --threads.</summary>
    /// <exception cref="UsageException">The model file does not exist.</exception>
    /// <exception cref="InvalidOperationException">--device gpu without a CUDA device.</exception>
    /// <param name="dtype">The float type the model computes in (Float64 for gradient checks).</param>
    public static ModelSession Open(string? modelPath, string device, int? threads, TextWriter stderr, DType dtype = DType.Float32)
    {
        int n = threads ?? Environment.ProcessorCount;
        var (backend, deviceName) = DeviceSelection.Open(device, n, stderr);
        var options = new OnnxImportOptions { Backend = backend, DType = dtype };
        Model model;
        string name;
        if (modelPath is null)
        {
            model = DefaultModel.Load(options);
            name = DefaultModel.Name;
        }
        else
        {
            if (!File.Exists(modelPath)) throw new UsageException($"{modelPath}: no such model file");
            model = OnnxModel.Load(modelPath, options);
            name = modelPath;
        }
        if (model.InputShape.Length != 4 || model.InputShape[1] != 3)
            throw new InvalidOperationException($"{name}: expected an image classifier with input [N, 3, H, W]; got [{string.Join(", ", model.InputShape)}]");
        var session = new ModelSession(model, name, deviceName, n, null);
        return session.ClassCount == 1000 ? new ModelSession(model, name, deviceName, n, DefaultModel.ImageNetLabels()) : session;
    }
}
