using Google.Protobuf;
using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using Onnx;
using WT = Google.Protobuf.WireFormat.WireType;

namespace NativeCam.Importers.Tests.BadInput;

/// <summary>Files that are not ONNX protobufs, or that are, but too big, too deep or of an unsupported version.</summary>
public class FileFormatTests
{
    [Fact]
    public void MissingFile()
    {
        var path = Path.Combine(BadModel.TempDir(), "absent.onnx");
        BadModel.Fails<OnnxFormatException>(path, "does not exist");
    }

    [Fact]
    public void EmptyPathIsAFormatError()
    {
        var e = Assert.ThrowsAny<OnnxImportException>(() => OnnxModel.Load(""));
        Assert.IsType<OnnxFormatException>(e);
        Assert.Contains("path", e.Message);
        Assert.Throws<ArgumentNullException>(() => OnnxModel.Load(null!));
    }

    [Fact]
    public void DirectoryInsteadOfFile() =>
        BadModel.Fails<OnnxFormatException>(BadModel.TempDir(), "folder");

    [Fact]
    public void EmptyFile() =>
        BadModel.Fails<OnnxFormatException>(BadModel.Write([], "empty.onnx"), "empty");

    [Fact]
    public void JpegBytesRenamedOnnx()
    {
        // SOI, APP0 "JFIF", a quantisation table marker and some entropy-coded-looking bytes
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
            0x00, 0x01, 0x00, 0x00, 0xFF, 0xDB, 0x00, 0x43, 0x00, 0x08, 0x06, 0x06, 0x07, 0x06, 0x05, 0x08, 0x07, 0x07, 0x07, 0x09,
            0x09, 0x08, 0x0A, 0x0C, 0x14, 0x0D, 0x0C, 0x0B, 0x0B, 0x0C, 0x19, 0x12, 0x13, 0x0F, 0x14, 0x1D, 0x1A, 0x1F, 0x1E, 0x1D,
            0xFF, 0xD9];
        BadModel.Fails<OnnxFormatException>(BadModel.Write(jpeg, "photo.onnx"), "not a valid ONNX protobuf");
    }

    [Fact]
    public void RealPhotoRenamedOnnx()
    {
        var photo = TestData.Photo("rocket.jpg");
        BadModel.Fails<OnnxFormatException>(BadModel.Write(File.ReadAllBytes(photo), "rocket.onnx"), "protobuf");
    }

    [Fact]
    public void TextFileRenamedOnnx() =>
        BadModel.Fails<OnnxFormatException>(BadModel.Write("name: not a model\n"u8.ToArray(), "text.onnx"), "protobuf");

    [Fact]
    public void ProtobufThatIsNotAModel()
    {
        // a key/value entry parses as a ModelProto (field 1 of the wrong wire type is skipped) with no graph
        var entry = new StringStringEntryProto { Key = "a", Value = "b" };
        BadModel.Fails<OnnxFormatException>(BadModel.Write(entry.ToByteArray(), "entry.onnx"), "not an ONNX model");
    }

    [Fact]
    public void TruncatedModel()
    {
        var bytes = BadModel.ConvRelu().Build().ToByteArray();
        var e = BadModel.Fails<OnnxFormatException>(BadModel.Write(bytes[..(bytes.Length / 2)], "half.onnx"), "truncated");
        Assert.IsType<InvalidProtocolBufferException>(e.InnerException);
    }

    [Fact]
    public void EveryTruncationFailsCleanly()
    {
        var bytes = BadModel.ConvRelu().Build().ToByteArray();
        var dir = BadModel.TempDir();
        var path = Path.Combine(dir, "cut.onnx");
        for (int n = 1; n < bytes.Length; n++)
        {
            File.WriteAllBytes(path, bytes[..n]);
            try { OnnxModel.Load(path); }
            catch (OnnxImportException e) { Assert.Contains("cut.onnx", e.Message); }
        }
    }

    [Fact]
    public void RandomCorruptionFailsCleaningOrLoads()
    {
        var bytes = BadModel.ConvRelu().Build().ToByteArray();
        var dir = BadModel.TempDir();
        var path = Path.Combine(dir, "flipped.onnx");
        var r = new Random(5);
        int failures = 0;
        for (int iter = 0; iter < 400; iter++)
        {
            var b = (byte[])bytes.Clone();
            for (int k = 0, n = r.Next(1, 4); k < n; k++) b[r.Next(b.Length)] = (byte)r.Next(256);
            File.WriteAllBytes(path, b);
            try { OnnxModel.Load(path); }
            catch (OnnxImportException) { failures++; }
            catch (Exception e) { Assert.Fail($"iteration {iter}: raw {e.GetType().Name}: {e.Message}"); }
        }
        Assert.True(failures > 0);
    }

    /// <summary>ir_version 8, then a graph whose length prefix claims <paramref name="claimed"/> bytes.</summary>
    private static byte[] HugeTopLevelPrefix(ulong claimed)
    {
        var ms = new MemoryStream();
        var o = new CodedOutputStream(ms);
        o.WriteTag(ModelProto.IrVersionFieldNumber, WT.Varint);
        o.WriteInt64(8);
        o.WriteTag(ModelProto.GraphFieldNumber, WT.LengthDelimited);
        o.WriteUInt64(claimed);
        o.WriteRawTag(0x0A, 0x01, 0x41);
        o.Flush();
        return ms.ToArray();
    }

    [Theory]
    [InlineData(1_900_000_000UL)] // fits in int32: points past the end
    [InlineData(3_000_000_000UL)] // does not: negative as int32
    [InlineData(ulong.MaxValue)]
    public void LengthPrefixClaimingGigabytesFailsFastWithoutAllocating(ulong claimed)
    {
        var path = BadModel.Write(HugeTopLevelPrefix(claimed), "huge-prefix.onnx");
        long before = GC.GetAllocatedBytesForCurrentThread();
        BadModel.Fails<OnnxFormatException>(path, "length");
        long grew = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(grew < 50_000_000, $"allocated {grew} bytes");
    }

    [Theory]
    [InlineData(TensorProto.RawDataFieldNumber)]
    [InlineData(TensorProto.FloatDataFieldNumber)] // packed floats: must not pre-size a 1.9 GB list
    public void NestedLengthPrefixClaimingGigabytesFailsFastWithoutAllocating(int field)
    {
        // model { ir_version 8, opset 13, graph { initializer { dims 2, data_type float, <field> [1.9 GB claimed] } } }
        var tensor = new MemoryStream();
        var t = new CodedOutputStream(tensor);
        t.WriteTag(TensorProto.DimsFieldNumber, WT.Varint); t.WriteInt64(2);
        t.WriteTag(TensorProto.DataTypeFieldNumber, WT.Varint); t.WriteInt32(1);
        t.WriteTag(field, WT.LengthDelimited); t.WriteUInt64(1_900_000_000UL);
        t.WriteRawTag(0, 0, 0x80, 0x3F);
        t.Flush();
        var graph = new MemoryStream();
        var g = new CodedOutputStream(graph);
        g.WriteTag(GraphProto.InitializerFieldNumber, WT.LengthDelimited); g.WriteBytes(ByteString.CopyFrom(tensor.ToArray()));
        g.Flush();
        var model = new MemoryStream();
        var m = new CodedOutputStream(model);
        m.WriteTag(ModelProto.IrVersionFieldNumber, WT.Varint); m.WriteInt64(8);
        m.WriteTag(ModelProto.OpsetImportFieldNumber, WT.LengthDelimited);
        m.WriteBytes(new OperatorSetIdProto { Domain = "", Version = 13 }.ToByteString());
        m.WriteTag(ModelProto.GraphFieldNumber, WT.LengthDelimited); m.WriteBytes(ByteString.CopyFrom(graph.ToArray()));
        m.Flush();

        var path = BadModel.Write(model.ToArray(), "huge-field.onnx");
        long before = GC.GetAllocatedBytesForCurrentThread();
        BadModel.Fails<OnnxFormatException>(path, "truncated");
        long grew = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(grew < 50_000_000, $"allocated {grew} bytes");
    }

    private static ModelProto Nested(int levels)
    {
        var g = new GraphProto { Name = "leaf" };
        for (int i = 0; i < levels; i++)
        {
            var n = new NodeProto { OpType = "If", Name = $"if{i}", Input = { "x" }, Output = { $"o{i}" } };
            n.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = g });
            g = new GraphProto { Name = $"g{i}" };
            g.Node.Add(n);
        }
        var m = BadModel.ConvRelu().Build();
        m.Graph.Node.Add(g.Node[0]);
        return m;
    }

    [Fact]
    public void NestingTooDeep() =>
        BadModel.Fails<OnnxFormatException>(BadModel.Write(Nested(40), "deep.onnx"), "nested deeper", "64");

    [Fact]
    public void NestingLimitIsAnOption() =>
        BadModel.Fails<OnnxFormatException>(BadModel.Write(Nested(2), "deep2.onnx"), new OnnxImportOptions { MaxNestingDepth = 4 }, "nested deeper", "limit of 4");

    [Fact]
    public void NestingWithinTheLimitReachesTheImporter() =>
        // 2 levels of sub-graphs parse; the If op itself is then reported as unsupported
        BadModel.Fails<OnnxUnsupportedException>(BadModel.Write(Nested(2), "if.onnx"), "If");

    [Fact]
    public void SmallMaxModelBytesRejectsAValidModel()
    {
        var path = BadModel.ConvRelu().Save("valid.onnx");
        OnnxModel.Load(path); // loads with the defaults
        BadModel.Fails<OnnxFormatException>(path, new OnnxImportOptions { MaxModelBytes = 100 }, "limit of 100", "bytes");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(11)]
    [InlineData(1000)]
    public void UnsupportedIrVersion(long ir) =>
        BadModel.Fails<OnnxUnsupportedException>(BadModel.ConvRelu(13, ir).Save("ir.onnx"), $"IR version {ir}", "supported");

    [Theory]
    [InlineData(6)]
    [InlineData(22)]
    public void UnsupportedOpset(int opset) =>
        BadModel.Fails<OnnxUnsupportedException>(BadModel.ConvRelu(opset).Save("opset.onnx"), $"opset {opset}", "supported");

    [Fact]
    public void NoDefaultDomainOpsetOnIr8()
    {
        var m = BadModel.ConvRelu().Build();
        m.OpsetImport.RemoveAt(0);
        BadModel.Fails<OnnxUnsupportedException>(BadModel.Write(m, "noopset.onnx"), "opset");
    }

    [Theory]
    [InlineData("", 1L << 40)]
    [InlineData("com.microsoft", 1L << 40)]
    [InlineData("com.microsoft", -1L)]
    public void OpsetVersionOutOfRange(string domain, long version)
    {
        var m = BadModel.ConvRelu().Build();
        m.OpsetImport.Single(o => o.Domain == domain).Version = version;
        BadModel.Fails<OnnxImportException>(BadModel.Write(m, "opsetrange.onnx"), "opset", version.ToString());
    }

    [Fact]
    public void DuplicateOpsetDomain()
    {
        var m = BadModel.ConvRelu().Build();
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 11 });
        BadModel.Fails<OnnxValidationException>(BadModel.Write(m, "opsettwice.onnx"), "domain", "twice");
    }
}
