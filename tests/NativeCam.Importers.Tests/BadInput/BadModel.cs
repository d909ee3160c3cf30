using Google.Protobuf;
using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using Onnx;

namespace NativeCam.Importers.Tests.BadInput;

/// <summary>Helpers for malformed-model tests: files in fresh temp folders, and the expected-failure check.</summary>
internal static class BadModel
{
    /// <summary>A fresh temp folder.</summary>
    public static string TempDir() => Directory.CreateTempSubdirectory("nativecam-bad-").FullName;

    /// <summary>Writes bytes as <paramref name="name"/> in a fresh folder.</summary>
    public static string Write(byte[] bytes, string name) => WriteIn(TempDir(), bytes, name);

    /// <summary>Writes a model as <paramref name="name"/> in a fresh folder.</summary>
    public static string Write(ModelProto model, string name) => Write(model.ToByteArray(), name);

    /// <summary>Writes bytes as <paramref name="name"/> in <paramref name="dir"/>.</summary>
    public static string WriteIn(string dir, byte[] bytes, string name)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A valid small model: x [1, 3, 8, 8] → Conv (4 filters, 3×3, pads 1) → Relu → y.</summary>
    public static OnnxGraphBuilder ConvRelu(int opset = 13, long ir = 8) =>
        new OnnxGraphBuilder(opset, ir)
            .Input("x", 1, 3, 8, 8)
            .Initializer("w", OrtPeer.RandomInput([4, 3, 3, 3], 3), 4, 3, 3, 3)
            .Node("Conv", ["x", "w"], ["c"], ("pads", new[] { 1, 1, 1, 1 }))
            .Node("Relu", ["c"], ["y"])
            .Output("y");

    /// <summary>x [1, 3, 8, 8] → Add(x, t) → y, with <paramref name="t"/> as the initializer under test.</summary>
    public static ModelProto WithInitializer(TensorProto t)
    {
        var m = new OnnxGraphBuilder(13).Input("x", 1, 3, 8, 8).Node("Add", ["x", t.Name], ["y"]).Output("y").Build();
        m.Graph.Initializer.Add(t);
        return m;
    }

    /// <summary>A float tensor "t" with the given dims and raw data.</summary>
    public static TensorProto Tensor(long[] dims, byte[]? raw = null, TensorProto.Types.DataType type = TensorProto.Types.DataType.Float)
    {
        var t = new TensorProto { Name = "t", DataType = (int)type };
        t.Dims.AddRange(dims);
        if (raw is not null) t.RawData = ByteString.CopyFrom(raw);
        return t;
    }

    /// <summary>
    /// Asserts that loading fails with exactly <typeparamref name="T"/>, that the message names the file and
    /// contains every one of <paramref name="words"/> (case-insensitive).
    /// </summary>
    public static T Fails<T>(string path, OnnxImportOptions? options, params string[] words) where T : OnnxImportException
    {
        Exception? caught = null;
        try { OnnxModel.Load(path, options); }
        catch (Exception e) { caught = e; }
        Assert.NotNull(caught);
        if (caught is not T e2)
            throw new Xunit.Sdk.XunitException($"expected {typeof(T).Name}, got {caught.GetType().Name}: {caught}");
        Assert.Contains(Path.GetFileName(path), e2.Message);
        foreach (var w in words)
            if (!e2.Message.Contains(w, StringComparison.OrdinalIgnoreCase))
                throw new Xunit.Sdk.XunitException($"message lacks '{w}': {e2.Message}");
        return e2;
    }

    /// <summary>As <see cref="Fails{T}(string, OnnxImportOptions?, string[])"/> with default options.</summary>
    public static T Fails<T>(string path, params string[] words) where T : OnnxImportException => Fails<T>(path, null, words);
}
