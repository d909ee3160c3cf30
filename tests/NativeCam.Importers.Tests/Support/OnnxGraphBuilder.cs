using Google.Protobuf;
using Onnx;

namespace NativeCam.Importers.Tests.Support;

/// <summary>Builds small ONNX models in code for per-op tests (saved to a temp folder, then run by ORT and the importer).</summary>
public sealed class OnnxGraphBuilder
{
    private readonly GraphProto _graph = new() { Name = "test" };
    private readonly int _opset;
    private int _nodeCount;

    /// <summary>A builder for the default domain at <paramref name="opset"/> (com.microsoft added for quantized ops).</summary>
    public OnnxGraphBuilder(int opset = 17, long irVersion = 8)
    {
        _opset = opset;
        IrVersion = irVersion;
    }

    /// <summary>IR version written.</summary>
    public long IrVersion { get; set; }

    /// <summary>A float graph input.</summary>
    public OnnxGraphBuilder Input(string name, params int[] shape)
    {
        _graph.Input.Add(ValueInfo(name, shape, TensorProto.Types.DataType.Float));
        return this;
    }

    /// <summary>A graph output (shape left unspecified).</summary>
    public OnnxGraphBuilder Output(string name)
    {
        _graph.Output.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } } });
        return this;
    }

    /// <summary>A float initializer (raw_data).</summary>
    public OnnxGraphBuilder Initializer(string name, float[] data, params int[] dims) =>
        Initializer(FloatTensor(name, data, dims));

    /// <summary>An int64 initializer.</summary>
    public OnnxGraphBuilder Initializer(string name, long[] data, params int[] dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.AddRange(dims.Select(d => (long)d));
        t.Int64Data.AddRange(data);
        return Initializer(t);
    }

    /// <summary>Any initializer.</summary>
    public OnnxGraphBuilder Initializer(TensorProto t)
    {
        _graph.Initializer.Add(t);
        return this;
    }

    /// <summary>A node; attributes are (name, value) with value an int, long, float, string, int[]/long[], float[] or TensorProto.</summary>
    public OnnxGraphBuilder Node(string op, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes) =>
        Node(op, "", inputs, outputs, attributes);

    /// <summary>A node of a given domain.</summary>
    public OnnxGraphBuilder Node(string op, string domain, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes)
    {
        var n = new NodeProto { OpType = op, Domain = domain, Name = $"{op}_{_nodeCount++}" };
        n.Input.AddRange(inputs);
        n.Output.AddRange(outputs);
        foreach (var (name, value) in attributes) n.Attribute.Add(Attribute(name, value));
        _graph.Node.Add(n);
        return this;
    }

    /// <summary>The model.</summary>
    public ModelProto Build()
    {
        var m = new ModelProto { IrVersion = IrVersion, Graph = _graph.Clone(), ProducerName = "nativecam-tests" };
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = _opset });
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        return m;
    }

    /// <summary>Writes the model into a fresh temp folder; returns the file path.</summary>
    public string Save(string fileName = "model.onnx")
    {
        var dir = Directory.CreateTempSubdirectory("nativecam-onnx-").FullName;
        var path = Path.Combine(dir, fileName);
        File.WriteAllBytes(path, Build().ToByteArray());
        return path;
    }

    /// <summary>A float TensorProto with raw_data.</summary>
    public static TensorProto FloatTensor(string name, float[] data, params int[] dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims.Select(d => (long)d));
        var bytes = new byte[data.Length * 4];
        Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
        t.RawData = ByteString.CopyFrom(bytes);
        return t;
    }

    private static ValueInfoProto ValueInfo(string name, int[] shape, TensorProto.Types.DataType type)
    {
        var tt = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = new TensorShapeProto() };
        foreach (int d in shape) tt.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tt } };
    }

    private static AttributeProto Attribute(string name, object value)
    {
        var a = new AttributeProto { Name = name };
        switch (value)
        {
            case int i: a.Type = AttributeProto.Types.AttributeType.Int; a.I = i; break;
            case long l: a.Type = AttributeProto.Types.AttributeType.Int; a.I = l; break;
            case float f: a.Type = AttributeProto.Types.AttributeType.Float; a.F = f; break;
            case double d: a.Type = AttributeProto.Types.AttributeType.Float; a.F = (float)d; break;
            case string s: a.Type = AttributeProto.Types.AttributeType.String; a.S = ByteString.CopyFromUtf8(s); break;
            case int[] ints: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ints.Select(v => (long)v)); break;
            case long[] longs: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(longs); break;
            case float[] fs: a.Type = AttributeProto.Types.AttributeType.Floats; a.Floats.AddRange(fs); break;
            case TensorProto t: a.Type = AttributeProto.Types.AttributeType.Tensor; a.T = t; break;
            default: throw new ArgumentException($"attribute {name}: unsupported value type {value.GetType().Name}");
        }
        return a;
    }
}
