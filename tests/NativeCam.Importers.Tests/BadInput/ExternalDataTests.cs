using Google.Protobuf;
using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using Onnx;
using Tensor = NativeCam.Engine.Tensor;

namespace NativeCam.Importers.Tests.BadInput;

/// <summary>External data: only files inside the model's folder are read, within their bounds.</summary>
public class ExternalDataTests
{
    private static readonly float[] Weights = OrtPeer.RandomInput([4, 3, 3, 3], 3);

    private static byte[] WeightBytes()
    {
        var b = new byte[Weights.Length * 4];
        Buffer.BlockCopy(Weights, 0, b, 0, b.Length);
        return b;
    }

    /// <summary>The ConvRelu model with "w" stored externally at <paramref name="location"/> (offset, length given or not).</summary>
    private static ModelProto External(string location, long? offset = null, long? length = null)
    {
        var m = BadModel.ConvRelu().Build();
        var w = m.Graph.Initializer.Single(t => t.Name == "w");
        w.RawData = ByteString.Empty;
        w.DataLocation = TensorProto.Types.DataLocation.External;
        w.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        if (offset is { } o) w.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = o.ToString() });
        if (length is { } l) w.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = l.ToString() });
        return m;
    }

    [Fact]
    public void ValidExternalDataLoadsAndMatchesInline()
    {
        var dir = BadModel.TempDir();
        var data = new byte[64].Concat(WeightBytes()).Concat(new byte[16]).ToArray();
        BadModel.WriteIn(dir, data, "weights.bin");
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        BadModel.WriteIn(Path.Combine(dir, "sub"), WeightBytes(), "w.bin");
        var inline = BadModel.ConvRelu().Save("inline.onnx");

        var input = OrtPeer.RandomInput([1, 3, 8, 8], 9);
        var expected = OnnxModel.Load(inline).Run(Tensor.FromArray(input, [1, 3, 8, 8])).ToFloatArray();
        foreach (var (m, name) in new[]
                 {
                     (External("weights.bin", 64, WeightBytes().Length), "offset.onnx"),
                     (External("sub/w.bin"), "subfolder.onnx"),
                     (External("./sub/w.bin", 0), "dotslash.onnx"),
                 })
        {
            var path = BadModel.WriteIn(dir, m.ToByteArray(), name);
            var ours = OnnxModel.Load(path).Run(Tensor.FromArray(input, [1, 3, 8, 8])).ToFloatArray();
            Assert.Equal(expected, ours);
            OrtPeer.AssertMatches(path, [1, 3, 8, 8]);
        }
    }

    [Theory]
    [InlineData("../weights.bin")]
    [InlineData("sub/../../weights.bin")]
    [InlineData("..")]
    [InlineData("..\\weights.bin")]
    public void ParentFolderInLocation(string location)
    {
        var outer = BadModel.TempDir();
        BadModel.WriteIn(outer, WeightBytes(), "weights.bin");
        var dir = Path.Combine(outer, "model");
        Directory.CreateDirectory(dir);
        var path = BadModel.WriteIn(dir, External(location).ToByteArray(), "parent.onnx");
        BadModel.Fails<OnnxValidationException>(path, "tensor 'w'", location, "inside the model's folder");
    }

    [Fact]
    public void AbsoluteLocation()
    {
        var outside = BadModel.WriteIn(BadModel.TempDir(), WeightBytes(), "weights.bin");
        var path = BadModel.Write(External(outside), "absolute.onnx");
        BadModel.Fails<OnnxValidationException>(path, "tensor 'w'", "absolute");
    }

    [Fact]
    public void AbsoluteLocationInsideTheFolderIsStillRejected()
    {
        var dir = BadModel.TempDir();
        var inside = BadModel.WriteIn(dir, WeightBytes(), "weights.bin");
        var path = BadModel.WriteIn(dir, External(inside).ToByteArray(), "absolute-inside.onnx");
        BadModel.Fails<OnnxValidationException>(path, "tensor 'w'", "absolute");
    }

    [Theory]
    [InlineData("a\0b")]
    [InlineData("")]
    [InlineData("   ")]
    public void MalformedLocation(string location) =>
        BadModel.Fails<OnnxValidationException>(BadModel.Write(External(location), "malformed.onnx"), "tensor 'w'", "location");

    [Fact]
    public void SymbolicLinkToAFileOutside()
    {
        var outside = BadModel.WriteIn(BadModel.TempDir(), WeightBytes(), "secret.bin");
        var dir = BadModel.TempDir();
        File.CreateSymbolicLink(Path.Combine(dir, "weights.bin"), outside);
        var path = BadModel.WriteIn(dir, External("weights.bin").ToByteArray(), "symlink.onnx");
        BadModel.Fails<OnnxValidationException>(path, "tensor 'w'", "symbolic link", "outside");
    }

    [Fact]
    public void SymbolicLinkToAFolderOutside()
    {
        var outsideDir = BadModel.TempDir();
        BadModel.WriteIn(outsideDir, WeightBytes(), "secret.bin");
        var dir = BadModel.TempDir();
        Directory.CreateSymbolicLink(Path.Combine(dir, "data"), outsideDir);
        var path = BadModel.WriteIn(dir, External("data/secret.bin").ToByteArray(), "symlinkdir.onnx");
        BadModel.Fails<OnnxValidationException>(path, "tensor 'w'", "symbolic link", "outside");
    }

    [Fact]
    public void SymbolicLinkChainLeavingTheFolder()
    {
        var outside = BadModel.WriteIn(BadModel.TempDir(), WeightBytes(), "secret.bin");
        var dir = BadModel.TempDir();
        File.CreateSymbolicLink(Path.Combine(dir, "hop.bin"), outside);
        File.CreateSymbolicLink(Path.Combine(dir, "weights.bin"), Path.Combine(dir, "hop.bin"));
        var path = BadModel.WriteIn(dir, External("weights.bin").ToByteArray(), "symlinkchain.onnx");
        BadModel.Fails<OnnxValidationException>(path, "tensor 'w'", "symbolic link", "outside");
    }

    [Fact]
    public void SymbolicLinkStayingInsideIsAllowed()
    {
        var dir = BadModel.TempDir();
        BadModel.WriteIn(dir, WeightBytes(), "real.bin");
        File.CreateSymbolicLink(Path.Combine(dir, "weights.bin"), "real.bin");
        var path = BadModel.WriteIn(dir, External("weights.bin").ToByteArray(), "symlinkinside.onnx");
        OnnxModel.Load(path);
    }

    [Fact]
    public void OffsetPastTheEnd()
    {
        var dir = BadModel.TempDir();
        BadModel.WriteIn(dir, WeightBytes(), "weights.bin");
        var path = BadModel.WriteIn(dir, External("weights.bin", 1000).ToByteArray(), "offset.onnx");
        BadModel.Fails<OnnxValidationException>(path, "tensor 'w'", "past the end", "weights.bin");
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("99999999999999999999999")]
    public void BadOffsetText(string offset)
    {
        var m = External("weights.bin");
        m.Graph.Initializer.Single(t => t.Name == "w").ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset });
        var dir = BadModel.TempDir();
        BadModel.WriteIn(dir, WeightBytes(), "weights.bin");
        BadModel.Fails<OnnxValidationException>(BadModel.WriteIn(dir, m.ToByteArray(), "offsettext.onnx"), "tensor 'w'", "offset");
    }

    [Fact]
    public void LengthMismatch()
    {
        var dir = BadModel.TempDir();
        BadModel.WriteIn(dir, WeightBytes(), "weights.bin");
        var path = BadModel.WriteIn(dir, External("weights.bin", 0, 100).ToByteArray(), "length.onnx");
        BadModel.Fails<OnnxValidationException>(path, "tensor 'w'", "length 100", $"{WeightBytes().Length} bytes");
    }

    [Fact]
    public void FileTooShortForTheShape()
    {
        var dir = BadModel.TempDir();
        BadModel.WriteIn(dir, WeightBytes()[..100], "weights.bin");
        var path = BadModel.WriteIn(dir, External("weights.bin").ToByteArray(), "short.onnx");
        BadModel.Fails<OnnxValidationException>(path, "tensor 'w'", "past the end");
    }

    [Fact]
    public void MissingFile() =>
        BadModel.Fails<OnnxValidationException>(BadModel.Write(External("weights.bin"), "missing.onnx"), "tensor 'w'", "weights.bin", "does not exist");

    [Fact]
    public void LocationIsAFolder()
    {
        var dir = BadModel.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "weights.bin"));
        BadModel.Fails<OnnxValidationException>(BadModel.WriteIn(dir, External("weights.bin").ToByteArray(), "folder.onnx"), "tensor 'w'", "weights.bin");
    }

    [Fact]
    public void ExternalDataPlusRawData()
    {
        var dir = BadModel.TempDir();
        BadModel.WriteIn(dir, WeightBytes(), "weights.bin");
        var m = External("weights.bin");
        m.Graph.Initializer.Single(t => t.Name == "w").RawData = ByteString.CopyFrom(WeightBytes());
        BadModel.Fails<OnnxValidationException>(BadModel.WriteIn(dir, m.ToByteArray(), "both.onnx"), "tensor 'w'", "more than one data field");
    }

    [Fact]
    public void ExternalDataInAConstantNodeIsNotReadFromElsewhere()
    {
        // a Constant's tensor attribute pointing at a file: never read relative to the working directory
        var dir = BadModel.TempDir();
        BadModel.WriteIn(dir, new byte[16], "k.bin");
        var k = new TensorProto { Name = "k", DataType = (int)TensorProto.Types.DataType.Float, DataLocation = TensorProto.Types.DataLocation.External };
        k.Dims.Add(4);
        k.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "k.bin" });
        var m = new OnnxGraphBuilder(13).Input("x", 1, 3, 8, 8)
            .Node("Constant", [], ["k"], ("value", k))
            .Node("Add", ["x", "k"], ["y"]).Output("y").Build();
        var path = BadModel.WriteIn(dir, m.ToByteArray(), "constant-external.onnx");
        try { OnnxModel.Load(path); }
        catch (OnnxImportException e) { Assert.Contains("constant-external.onnx", e.Message); }
    }
}
