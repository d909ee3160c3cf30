using NativeCam.Engine;
using NativeCam.Engine.Graph;
using Onnx;

namespace NativeCam.Importers.Onnx;

/// <summary>
/// An imported ONNX model: an Engine graph whose tensors keep their ONNX names, built for one input shape.
/// </summary>
public sealed class OnnxModel
{
    private readonly ModelProto _proto;

    internal OnnxModel(string file, ModelProto proto, OnnxImportOptions options, ComputeGraph graph, string inputName,
        int[] inputShape, string outputName, IReadOnlyDictionary<string, int[]> shapes, IReadOnlyDictionary<string, string> producers)
    {
        File = file;
        _proto = proto;
        Options = options;
        Graph = graph;
        Executor = new GraphExecutor(graph);
        InputName = inputName;
        InputShape = inputShape;
        OutputName = outputName;
        TensorShapes = shapes;
        Producers = producers;
    }

    /// <summary>Loads and imports a model file.</summary>
    /// <param name="path">The .onnx file (read-only; external data must sit in its folder).</param>
    /// <param name="options">Input shape, dtype, limits.</param>
    /// <exception cref="OnnxImportException">The file is unreadable, malformed, or uses something unsupported.</exception>
    public static OnnxModel Load(string path, OnnxImportOptions? options = null)
    {
        var o = options ?? new OnnxImportOptions();
        return new OnnxImporter(path, o).Import(OnnxModelReader.Read(path, o));
    }

    /// <summary>
    /// Imports a model held in memory (e.g. an embedded resource). External data is not allowed: there is no
    /// folder to read it from.
    /// </summary>
    /// <param name="bytes">The .onnx file's bytes.</param>
    /// <param name="name">A name for messages.</param>
    public static OnnxModel Load(byte[] bytes, string name, OnnxImportOptions? options = null)
    {
        var o = options ?? new OnnxImportOptions();
        var virtualPath = Path.Combine(Path.GetTempPath(), "nativecam-in-memory-" + Guid.NewGuid().ToString("N"), Path.GetFileName(name));
        return new OnnxImporter(virtualPath, o).Import(OnnxModelReader.Parse(bytes, virtualPath, o));
    }

    /// <summary>The model file.</summary>
    public string File { get; }

    /// <summary>The options it was imported with.</summary>
    public OnnxImportOptions Options { get; }

    /// <summary>The graph.</summary>
    public ComputeGraph Graph { get; }

    /// <summary>An executor over <see cref="Graph"/>.</summary>
    public GraphExecutor Executor { get; }

    /// <summary>The input's name.</summary>
    public string InputName { get; }

    /// <summary>The input shape the graph was built for, e.g. [1, 3, 224, 224].</summary>
    public int[] InputShape { get; }

    /// <summary>The (first) output's name, e.g. the logits.</summary>
    public string OutputName { get; }

    /// <summary>The shape of every run-time tensor, by ONNX name.</summary>
    public IReadOnlyDictionary<string, int[]> TensorShapes { get; }

    /// <summary>The op type that produced every tensor, by ONNX name.</summary>
    public IReadOnlyDictionary<string, string> Producers { get; }

    /// <summary>The parsed model file.</summary>
    internal ModelProto Proto => _proto;

    /// <summary>The shape of every value the import saw, constants (initializers, folded tensors) included.</summary>
    internal IReadOnlyDictionary<string, int[]> ValueShapes { get; init; } = new Dictionary<string, int[]>();

    /// <summary>The same model imported for another input shape (e.g. another batch size).</summary>
    public OnnxModel WithInputShape(int[] shape) =>
        new OnnxImporter(File, Options with { InputShape = shape }).Import(_proto);

    /// <summary>The output for one input.</summary>
    /// <param name="input">Shaped like <see cref="InputShape"/>.</param>
    public Tensor Run(Tensor input) => Run(input, OutputName)[OutputName];

    /// <summary>Named tensors (any intermediates) for one input.</summary>
    public IReadOnlyDictionary<string, Tensor> Run(Tensor input, params string[] fetch)
    {
        if (!input.Shape.AsSpan().SequenceEqual(InputShape))
            throw new ArgumentException($"input shape [{string.Join(", ", input.Shape)}] differs from the shape the model was imported for [{string.Join(", ", InputShape)}]; use WithInputShape");
        return Executor.Evaluate(new Dictionary<string, Tensor> { [InputName] = input }, fetch);
    }
}
