using Google.Protobuf;
using Onnx;

namespace NativeCam.Fuzz.Fuzzing;

/// <summary>
/// Small ONNX models made in code: input [1, 3, S, S] → Conv 3×3 (C channels, padding 1) → Relu → GlobalAveragePool →
/// Flatten → Gemm to K logits, with the graph output chosen to be a classifier's or not.
/// </summary>
public static class TinyModels
{
    /// <summary>Which tensor(s) the graph outputs.</summary>
    public enum Head
    {
        /// <summary>logits [1, K].</summary>
        Logits,
        /// <summary>the Relu feature map [1, C, S, S] (not a classifier's output).</summary>
        FeatureMap,
        /// <summary>ReduceMean of the logits over every axis: a scalar.</summary>
        Scalar,
        /// <summary>the feature map first, then the logits.</summary>
        FeatureMapThenLogits,
    }

    /// <summary>The model's bytes.</summary>
    /// <param name="size">S, the input's side.</param>
    /// <param name="channels">C.</param>
    /// <param name="classes">K (1: a binary classifier's single logit).</param>
    public static byte[] Build(int size, int channels, int classes, Head head, int seed = 0)
    {
        var rng = new Random(seed);
        float[] Weights(int n, double scale) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale)).ToArray();
        var g = new GraphProto { Name = "tiny" };
        g.Input.Add(Value("input", [1, 3, size, size]));
        g.Initializer.Add(Tensor("conv.w", Weights(channels * 27, 0.5), channels, 3, 3, 3));
        g.Initializer.Add(Tensor("conv.b", Weights(channels, 0.1), channels));
        g.Initializer.Add(Tensor("fc.w", Weights(classes * channels, 1.0), classes, channels));
        g.Initializer.Add(Tensor("fc.b", Weights(classes, 0.1), classes));
        g.Node.Add(Node("Conv", ["input", "conv.w", "conv.b"], "features", Ints("pads", 1, 1, 1, 1), Ints("kernel_shape", 3, 3)));
        g.Node.Add(Node("Relu", ["features"], "act"));
        g.Node.Add(Node("GlobalAveragePool", ["act"], "pooled"));
        g.Node.Add(Node("Flatten", ["pooled"], "flat"));
        g.Node.Add(Node("Gemm", ["flat", "fc.w", "fc.b"], "logits", new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 }));
        switch (head)
        {
            case Head.Logits: g.Output.Add(Value("logits", null)); break;
            case Head.FeatureMap: g.Output.Add(Value("act", null)); break;
            case Head.Scalar:
                g.Node.Add(Node("ReduceMean", ["logits"], "score", new AttributeProto { Name = "keepdims", Type = AttributeProto.Types.AttributeType.Int, I = 0 }));
                g.Output.Add(Value("score", null));
                break;
            default:
                g.Output.Add(Value("act", null));
                g.Output.Add(Value("logits", null));
                break;
        }
        var model = new ModelProto { IrVersion = 8, ProducerName = "tiny", Graph = g };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return model.ToByteArray();
    }

    private static ValueInfoProto Value(string name, int[]? shape)
    {
        var t = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float };
        if (shape is not null)
        {
            t.Shape = new TensorShapeProto();
            foreach (var d in shape) t.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = t } };
    }

    private static TensorProto Tensor(string name, float[] data, params int[] dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims.Select(d => (long)d));
        t.FloatData.AddRange(data);
        return t;
    }

    private static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    private static NodeProto Node(string op, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var n = new NodeProto { OpType = op, Name = op.ToLowerInvariant() + "_" + output };
        n.Input.AddRange(inputs);
        n.Output.Add(output);
        n.Attribute.AddRange(attributes);
        return n;
    }
}
