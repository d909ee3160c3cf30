using System.Collections.Concurrent;
using Google.Protobuf;
using NativeCam.Engine;
using Onnx;

namespace NativeCam.Importers.Onnx;

/// <summary>
/// What the builds of one parsed file share, whatever their batch size or kept tensors: every tensor of the file
/// decoded once, the run-time tensor of each decoded value, and values derived from them (dequantised weights).
/// Once an initializer is imported its raw bytes are dropped from the parsed file, so the weights are held once; every
/// later decode of it (an optimizer pass, another build) returns the same data.
/// </summary>
internal sealed class DecodedWeights
{
    private readonly ConcurrentDictionary<TensorProto, Lazy<ConstantData>> _decoded = new(ReferenceEqualityComparer.Instance);
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

    /// <summary>
    /// <paramref name="t"/> decoded by <paramref name="decode"/> on first use (a failure is not remembered: the next
    /// caller decodes again and reports in its own words). With <paramref name="releaseRaw"/> (graph initializers,
    /// which every decoder of the file reads through here) its raw bytes are released afterwards; tensors that other
    /// readers may decode on their own (Constant nodes' values) keep theirs.
    /// </summary>
    public ConstantData Decode(TensorProto t, Func<ConstantData> decode, bool releaseRaw = false)
    {
        var lazy = _decoded.GetOrAdd(t, static (_, d) => new Lazy<ConstantData>(d), decode);
        ConstantData data;
        try { data = lazy.Value; }
        catch
        {
            _decoded.TryRemove(new KeyValuePair<TensorProto, Lazy<ConstantData>>(t, lazy));
            throw;
        }
        if (releaseRaw && !t.RawData.IsEmpty) t.RawData = ByteString.Empty; // held decoded from now on
        return data;
    }

    /// <summary>The run-time tensor of known data, made once per data object.</summary>
    public Tensor ConstantTensor(ConstantData data, Func<Tensor> make) =>
        _tensors.GetOrAdd(data, _ => new Lazy<Tensor>(make)).Value;

    /// <summary>Something derived from known data for one node input, made once.</summary>
    public T Derived<T>(ConstantData data, string node, int input, Func<T> make) where T : class =>
        (T)_derived.GetOrAdd((data, node, input), _ => new Lazy<object>(make)).Value;
}
