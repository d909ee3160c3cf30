using NativeCam.Cam;
using NativeCam.Importers.Onnx;
using NativeCam.Kernels;
using NativeCam.Engine.Graph;
using NativeCam.Importers;

namespace NativeCam.Cli.Infrastructure;

/// <summary>A loaded model with its backend, class names and display name.</summary>
public sealed class ModelSession
{
    private ModelSession(Model model, ClassifierOutput? output, string name, string device, int threads, IReadOnlyList<string>? labels)
    {
        Model = model;
        Output = output;
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

    /// <summary>The explained output, checked to be a classifier's (null when opened without that check).</summary>
    public ClassifierOutput? Output { get; }

    /// <summary>Number of classes (2 for a binary classifier; 0 when the output was not checked).</summary>
    public int ClassCount => Output?.ClassCount ?? 0;

    /// <summary>The model input's height and width.</summary>
    public (int Height, int Width) InputSize => (Model.InputShape[2], Model.InputShape[3]);

    /// <summary>The class name, or "class N".</summary>
    public string LabelOf(int c) => Labels is { } l && c >= 0 && c < l.Count ? l[c] : $"class {c}";

    /// <summary>Opens the model named by --model (or the embedded one) on the backend of --device and --threads.</summary>
    /// <exception cref="UsageException">The model file does not exist.</exception>
    /// <exception cref="InvalidOperationException">--device gpu without a CUDA device.</exception>
    /// <exception cref="ClassifierOutputException">The explained output is not a classifier's.</exception>
    /// <param name="dtype">The float type the model computes in (Float64 for gradient checks).</param>
    /// <param name="outputName">--output-name: the graph output explained (default the first).</param>
    /// <param name="requireClassifier">Check that the output is a classifier's (every command but `layers`).</param>
    public static ModelSession Open(string? modelPath, string device, int? threads, TextWriter stderr, DType dtype = DType.Float32,
        string? outputName = null, bool requireClassifier = true)
    {
        int n = threads ?? Environment.ProcessorCount;
        var (backend, deviceName) = DeviceSelection.Open(device, n, stderr);
        var options = new OnnxImportOptions { Backend = backend, DType = dtype, OutputName = outputName };
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
        var output = requireClassifier ? ClassifierOutput.Of(model) : null;
        var labels = output is { ClassCount: 1000 } ? DefaultModel.ImageNetLabels() : null;
        return new ModelSession(model, output, name, deviceName, n, labels);
    }
}
