using Google.Protobuf;
using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using Onnx;
using DT = Onnx.TensorProto.Types.DataType;

namespace NativeCam.Importers.Tests.BadInput;

/// <summary>Bad dims, data sizes and data types in initializers, Constant nodes and the input's declared shape.</summary>
public class TensorDataTests
{
    private static string Save(TensorProto t, string name) => BadModel.Write(BadModel.WithInitializer(t), name);

    [Fact]
    public void NegativeInitializerDim()
    {
        var e = BadModel.Fails<OnnxValidationException>(Save(BadModel.Tensor([3, -2], new byte[24]), "negdim.onnx"), "tensor 't'", "dim 1", "negative");
        Assert.Equal("t", e.TensorName);
    }

    [Fact]
    public void AbsurdInitializerDim() =>
        BadModel.Fails<OnnxValidationException>(Save(BadModel.Tensor([1L << 40], new byte[4]), "absurd.onnx"), "tensor 't'", "element limit");

    [Fact]
    public void InitializerElementCountOverLimit() =>
        // each dim is allowed, the product (2^40) is not: fails before any data is looked at
        BadModel.Fails<OnnxValidationException>(Save(BadModel.Tensor([1 << 20, 1 << 20], new byte[4]), "product.onnx"), "tensor 't'", "more elements than the limit");

    [Fact]
    public void InitializerElementCountOverflowingLong() =>
        // with the element limit lifted, (2·10^9)^4 overflows a long: still a clean error
        BadModel.Fails<OnnxValidationException>(Save(BadModel.Tensor([2_000_000_000, 2_000_000_000, 2_000_000_000, 2_000_000_000], new byte[4]), "overflow.onnx"),
            new OnnxImportOptions { MaxTensorElements = long.MaxValue }, "tensor 't'", "more elements than the limit");

    [Fact]
    public void InitializerDimBeyondInt() =>
        BadModel.Fails<OnnxValidationException>(Save(BadModel.Tensor([1L << 32], new byte[4]), "beyondint.onnx"),
            new OnnxImportOptions { MaxTensorElements = long.MaxValue }, "tensor 't'", "dim 0", "element limit");

    [Fact]
    public void RankOverLimit() =>
        BadModel.Fails<OnnxValidationException>(Save(BadModel.Tensor([1, 1, 1, 1, 1, 1, 1, 1, 1], new byte[4]), "rank.onnx"), "rank 9", "limit of 8");

    [Fact]
    public void MaxTensorElementsIsAnOption() =>
        BadModel.Fails<OnnxValidationException>(Save(BadModel.Tensor([3, 8, 8], new byte[3 * 64 * 4]), "small-limit.onnx"),
            new OnnxImportOptions { MaxTensorElements = 100 }, "limit of 100");

    [Theory]
    [InlineData(20, "short")]
    [InlineData(28, "long")]
    public void RawDataOfWrongLength(int bytes, string what) =>
        BadModel.Fails<OnnxValidationException>(Save(BadModel.Tensor([2, 3], new byte[bytes]), $"raw-{what}.onnx"), "tensor 't'", $"{bytes} bytes", "needs 24");

    [Fact]
    public void TypedDataOfWrongLength()
    {
        var t = BadModel.Tensor([2, 3]);
        t.FloatData.AddRange([1f, 2f]);
        BadModel.Fails<OnnxValidationException>(Save(t, "typed-short.onnx"), "tensor 't'", "2 values", "needs 6");
    }

    [Fact]
    public void TypedDataInTheWrongField()
    {
        var t = BadModel.Tensor([2]);
        t.Int64Data.AddRange([1L, 2L]);
        BadModel.Fails<OnnxValidationException>(Save(t, "wrong-field.onnx"), "tensor 't'", "float_data", "int64_data");
    }

    [Fact]
    public void NoDataForNonEmptyTensor() =>
        BadModel.Fails<OnnxValidationException>(Save(BadModel.Tensor([2, 3]), "nodata.onnx"), "tensor 't'", "no data");

    [Fact]
    public void ExternalDataEntriesWithoutExternalLocation()
    {
        var t = BadModel.Tensor([2], new byte[8]);
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "w.bin" });
        BadModel.Fails<OnnxValidationException>(Save(t, "entries.onnx"), "tensor 't'", "data_location is not EXTERNAL");
    }

    [Fact]
    public void UnknownDataLocation()
    {
        var t = BadModel.Tensor([2], new byte[8]);
        t.DataLocation = (TensorProto.Types.DataLocation)7;
        BadModel.Fails<OnnxValidationException>(Save(t, "location7.onnx"), "tensor 't'", "data_location 7");
    }

    [Fact]
    public void UnknownDataType() =>
        BadModel.Fails<OnnxUnsupportedException>(Save(BadModel.Tensor([2], new byte[8], (DT)99), "dt99.onnx"), "tensor 't'", "data type 99", "unknown");

    [Fact]
    public void StringDataType()
    {
        var t = BadModel.Tensor([2], null, DT.String);
        t.StringData.Add(ByteString.CopyFromUtf8("a"));
        t.StringData.Add(ByteString.CopyFromUtf8("b"));
        BadModel.Fails<OnnxUnsupportedException>(Save(t, "string.onnx"), "tensor 't'", "String", "not supported");
    }

    [Fact]
    public void ComplexDataType() =>
        BadModel.Fails<OnnxUnsupportedException>(Save(BadModel.Tensor([2], new byte[16], DT.Complex64), "complex.onnx"), "tensor 't'", "Complex64", "not supported");

    [Fact]
    public void TwoDataFieldsSet()
    {
        var t = BadModel.Tensor([2], new byte[8]);
        t.FloatData.AddRange([1f, 2f]);
        BadModel.Fails<OnnxValidationException>(Save(t, "twofields.onnx"), "tensor 't'", "more than one data field");
    }

    [Fact]
    public void UnnamedInitializer()
    {
        var t = BadModel.Tensor([1], new byte[4]);
        t.Name = "";
        var m = new OnnxGraphBuilder(13).Input("x", 1, 3, 8, 8).Node("Relu", ["x"], ["y"]).Output("y").Build();
        m.Graph.Initializer.Add(t);
        BadModel.Fails<OnnxValidationException>(BadModel.Write(m, "noname.onnx"), "no name");
    }

    [Fact]
    public void DuplicateInitializer()
    {
        var m = BadModel.WithInitializer(BadModel.Tensor([1], new byte[4]));
        m.Graph.Initializer.Add(BadModel.Tensor([1], new byte[4]));
        BadModel.Fails<OnnxValidationException>(BadModel.Write(m, "dupinit.onnx"), "tensor 't'", "twice");
    }

    [Fact]
    public void BadConstantNodeTensorNamesTheNode()
    {
        var m = new OnnxGraphBuilder(13).Input("x", 1, 3, 8, 8)
            .Node("Constant", [], ["k"], ("value", BadModel.Tensor([2, 2], new byte[12])))
            .Node("Add", ["x", "k"], ["y"]).Output("y").Build();
        var e = BadModel.Fails<OnnxValidationException>(BadModel.Write(m, "constant.onnx"), "node 0", "Constant", "12 bytes");
        Assert.Equal(0, e.NodeIndex);
    }

    [Fact]
    public void UnnamedConstantNodeLoads()
    {
        // node names are optional in ONNX: a Constant without one must decode like any other
        var m = new OnnxGraphBuilder(13).Input("x", 1, 3, 8, 8)
            .Node("Constant", [], ["k"], ("value", OnnxGraphBuilder.FloatTensor("k", [0.5f, -1f, 2f], 3, 1, 1)))
            .Node("Mul", ["x", "k"], ["y"]).Output("y").Build();
        m.Graph.Node[0].Name = "";
        OrtPeer.AssertMatches(BadModel.Write(m, "unnamed-constant.onnx"), [1, 3, 8, 8]);
    }

    private static ModelProto WithInputDims(params long[] dims)
    {
        var m = new OnnxGraphBuilder(13).Input("x", 1, 1, 1, 1).Node("Relu", ["x"], ["y"]).Output("y").Build();
        var shape = m.Graph.Input[0].Type.TensorType.Shape;
        shape.Dim.Clear();
        foreach (var d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return m;
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(-5L)]
    public void NegativeInputDim(long d) =>
        BadModel.Fails<OnnxValidationException>(BadModel.Write(WithInputDims(1, 3, d, 8), "neginput.onnx"), "tensor 'x'", "dim 2", "negative");

    [Fact]
    public void NegativeInputBatchDim() =>
        BadModel.Fails<OnnxValidationException>(BadModel.Write(WithInputDims(-3, 3, 8, 8), "negbatch.onnx"), "tensor 'x'", "dim 0", "negative");

    [Fact]
    public void OverflowingInputDims() =>
        BadModel.Fails<OnnxValidationException>(BadModel.Write(WithInputDims(1, 3, 1L << 40, 1L << 40), "biginput.onnx"), "tensor 'x'", "limit");

    [Fact]
    public void OverflowingInputDimsWithoutLimit() =>
        BadModel.Fails<OnnxValidationException>(BadModel.Write(WithInputDims(2_000_000_000, 2_000_000_000, 2_000_000_000, 2_000_000_000), "overflowinput.onnx"),
            new OnnxImportOptions { MaxTensorElements = long.MaxValue }, "tensor 'x'", "more elements than the limit");

    [Fact]
    public void AbsurdInputShape() =>
        BadModel.Fails<OnnxValidationException>(BadModel.Write(WithInputDims(1, 3, 100_000, 100_000), "absurdinput.onnx"), "tensor 'x'", "more elements than the limit");

    [Fact]
    public void ZeroInputDim() =>
        BadModel.Fails<OnnxValidationException>(BadModel.Write(WithInputDims(1, 3, 0, 8), "zeroinput.onnx"), "tensor 'x'", "dim 2", "0");

    [Fact]
    public void BadRequestedInputShape()
    {
        var path = BadModel.Write(WithInputDims(1, 3, 8, 8), "requested.onnx");
        BadModel.Fails<OnnxValidationException>(path, new OnnxImportOptions { InputShape = [1, 3, -8, 8] }, "tensor 'x'", "negative");
        BadModel.Fails<OnnxValidationException>(path, new OnnxImportOptions { InputShape = [1, 3, 100_000, 100_000] }, "tensor 'x'", "limit");
        BadModel.Fails<OnnxValidationException>(path, new OnnxImportOptions { InputShape = [1, 3, 8] }, "tensor 'x'", "rank");
    }

    [Fact]
    public void NonFloatInput()
    {
        var m = WithInputDims(1, 3, 8, 8);
        m.Graph.Input[0].Type.TensorType.ElemType = (int)DT.String;
        BadModel.Fails<OnnxUnsupportedException>(BadModel.Write(m, "stringinput.onnx"), "tensor 'x'", "String");
    }
}
