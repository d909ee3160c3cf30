using System.Collections.Concurrent;
using NativeCam.Engine;
using NativeCam.Engine.Graph;
using Onnx;

namespace NativeCam.Importers.Onnx;

/// <summary>A parsed ONNX file and its import options: builds the Engine model for any input shape.
/// Builds for several batch sizes share what does not depend on the input shape: decoded initializers and their
/// run-time tensors.</summary>
internal sealed class OnnxSource(string file, ModelProto proto, OnnxImportOptions options) : IModelSource
{
    private readonly ConcurrentDictionary<string, Lazy<ConstantData>> _initializers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ConstantData, Lazy<Tensor>> _tensors = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<(ConstantData, string, int), Lazy<object>> _derived = new(new DerivedKey());

    /// <summary>Keys compare their data by reference (a folded value is a new object in every build).</summary>
    private sealed class DerivedKey : IEqualityComparer<(ConstantData Data, string Node, int Input)>
    {
        public bool Equals((ConstantData Data, string Node, int Input) a, (ConstantData Data, string Node, int Input) b) =>
            ReferenceEquals(a.Data, b.Data) && a.Node == b.Node && a.Input == b.Input;

        public int GetHashCode((ConstantData Data, string Node, int Input) k) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(k.Data), k.Node, k.Input);
    }

    /// <summary>The model file.</summary>
    public string File { get; } = file;

    /// <summary>The parsed file.</summary>
    public ModelProto Proto { get; } = proto;

    /// <summary>The options of the first import.</summary>
    public OnnxImportOptions Options { get; } = options;

    /// <summary>The model for <paramref name="inputShape"/> (null: the declared shape, batch 1 when symbolic).</summary>
    public Model Build(int[]? inputShape) => new OnnxImporter(File, Options with { InputShape = inputShape ?? Options.InputShape }, this).Import(Proto);

    /// <inheritdoc/>
    Model IModelSource.Build(int[] inputShape) => Build(inputShape);

    /// <summary>An initializer, decoded once.</summary>
    public ConstantData Initializer(TensorProto init, Func<TensorProto, ConstantData> decode) =>
        _initializers.GetOrAdd(init.Name, _ => new Lazy<ConstantData>(() => decode(init))).Value;

    /// <summary>The run-time tensor of known data, made once per data object (initializers are shared by builds).</summary>
    public Tensor ConstantTensor(ConstantData data, Func<Tensor> make) =>
        _tensors.GetOrAdd(data, _ => new Lazy<Tensor>(make)).Value;

    /// <summary>Something derived from known data for one node input, made once.</summary>
    public T Derived<T>(ConstantData data, string node, int input, Func<T> make) where T : class =>
        (T)_derived.GetOrAdd((data, node, input), _ => new Lazy<object>(make)).Value;

    /// <inheritdoc/>
    public long MultiplyAdds(Model model) => ModelFlops.MultiplyAdds(model);
}
