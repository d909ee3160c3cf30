using Google.Protobuf;
using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using Onnx;
namespace NativeCam.Importers.Tests.BadInput;
/// <summary>
/// Every int attribute and int initializer of a small many-op model set to edge values (negative, zero, huge,
/// beyond int): each load either succeeds or fails with an <see cref="OnnxImportException"/> — never a raw
/// exception, never a crash in a kernel.
/// </summary>
public class AttributeFuzzTests
{
    [Fact]
    public void EdgeValuesNeverEscapeRaw()
    {
        var b = new OnnxGraphBuilder(13).Input("x", 1, 3, 8, 8)
            .Initializer("w", OrtPeer.RandomInput([4, 3, 3, 3], 3), 4, 3, 3, 3)
            .Initializer("g", [1f, 1, 1, 1], 4).Initializer("be", [0f, 0, 0, 0], 4).Initializer("m", [0f, 0, 0, 0], 4).Initializer("v", [1f, 1, 1, 1], 4)
            .Initializer("ax", [0L], 1).Initializer("st", [1L], 1).Initializer("en", [3L], 1).Initializer("pd", [0L, 0, 1, 1, 0, 0, 1, 1], 8)
            .Initializer("rs", [1L, -1], 2).Initializer("fc", OrtPeer.RandomInput([5, 4 * 16], 4), 5, 64)
            .Node("Conv", ["x", "w"], ["c"], ("pads", new[] { 1, 1, 1, 1 }), ("strides", new[] { 1, 1 }), ("group", 1), ("dilations", new[] { 1, 1 }))
            .Node("BatchNormalization", ["c", "g", "be", "m", "v"], ["bn"], ("epsilon", 1e-5f))
            .Node("Relu", ["bn"], ["r"])
            .Node("MaxPool", ["r"], ["mp"], ("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 }), ("pads", new[] { 0, 0, 0, 0 }))
            .Node("Pad", ["mp", "pd"], ["pp"])
            .Node("Slice", ["pp", "st", "en", "ax"], ["sl"])
            .Node("Transpose", ["mp"], ["tr"], ("perm", new[] { 0, 1, 3, 2 }))
            .Node("Softmax", ["tr"], ["sm"], ("axis", 1))
            .Node("ReduceMean", ["sm"], ["rm"], ("axes", new[] { 2, 3 }), ("keepdims", 1))
            .Node("Flatten", ["tr"], ["fl"], ("axis", 1))
            .Node("Gemm", ["fl", "fc"], ["y"], ("transB", 1), ("alpha", 1f))
            .Node("Concat", ["mp", "tr"], ["cc"], ("axis", 1))
            .Node("Reshape", ["cc", "rs"], ["y2"])
            .Output("y").Output("y2").Output("rm").Output("sl");
        var model = b.Build();
        var dir = BadModel.TempDir();
        var path = Path.Combine(dir, "fuzz.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        OnnxModel.Load(path);
        long[] values = [-1, 0, 1, 2, 3, 5, 100, -100, 1000, 5000, 32768, -32768, 32769, int.MaxValue, (long)int.MaxValue + 1, long.MinValue, long.MaxValue, 1L << 40];
        var raw = new List<string>();
        int runs = 0;
        for (int ni = 0; ni < model.Graph.Node.Count; ni++)
        for (int ai = 0; ai < model.Graph.Node[ni].Attribute.Count; ai++)
        {
            var a0 = model.Graph.Node[ni].Attribute[ai];
            int count = a0.Type == AttributeProto.Types.AttributeType.Ints ? a0.Ints.Count : 1;
            for (int k = 0; k < count; k++)
            foreach (var v in values)
            {
                var m = model.Clone();
                var a = m.Graph.Node[ni].Attribute[ai];
                if (a.Type == AttributeProto.Types.AttributeType.Ints) a.Ints[k] = v;
                else if (a.Type == AttributeProto.Types.AttributeType.Int) a.I = v;
                else a.F = v;
                File.WriteAllBytes(path, m.ToByteArray());
                runs++;
                try { OnnxModel.Load(path); }
                catch (OnnxImportException) { }
                catch (Exception e) { raw.Add($"{m.Graph.Node[ni].OpType}.{a.Name}[{k}]={v}: {e.GetType().Name}: {e.Message.Split('\n')[0]}"); }
            }
        }
        // initializer int values
        foreach (var name in new[] { "ax", "st", "en", "pd", "rs" })
        {
            var init0 = model.Graph.Initializer.Single(t => t.Name == name);
            for (int k = 0; k < init0.Int64Data.Count; k++)
            foreach (var v in values)
            {
                var m = model.Clone();
                m.Graph.Initializer.Single(t => t.Name == name).Int64Data[k] = v;
                File.WriteAllBytes(path, m.ToByteArray());
                runs++;
                try { OnnxModel.Load(path); }
                catch (OnnxImportException) { }
                catch (Exception e) { raw.Add($"init {name}[{k}]={v}: {e.GetType().Name}: {e.Message.Split('\n')[0]}"); }
            }
        }
        Assert.True(runs > 700, $"only {runs} variants");
        Assert.True(raw.Count == 0, $"{raw.Count} of {runs} variants escaped raw:\n" + string.Join("\n", raw.Distinct().Take(20)));
    }
}
