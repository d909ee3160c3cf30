using Google.Protobuf;
using Onnx;

namespace NativeCam.Importers.Onnx;

/// <summary>Reads an ONNX file into OnnxSharp's protobuf classes, read-only, within the import limits.</summary>
internal static class OnnxModelReader
{
    /// <summary>IR versions supported (3: initializers listed as graph inputs … 10).</summary>
    public const int MinIr = 3, MaxIr = 10;

    /// <summary>Default-domain opsets supported.</summary>
    public const int MinOpset = 7, MaxOpset = 21;

    /// <summary>Parses <paramref name="path"/>; every failure becomes an <see cref="OnnxImportException"/>.</summary>
    public static ModelProto Read(string path, OnnxImportOptions options)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new OnnxFormatException(path, "the file does not exist");
            if (info.Length == 0) throw new OnnxFormatException(path, "the file is empty");
            if (info.Length > options.MaxModelBytes)
                throw new OnnxFormatException(path, $"the file has {info.Length} bytes, more than the limit of {options.MaxModelBytes}");
            // opened read-only and shared: the file is never locked for writing
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            bytes = new byte[info.Length];
            fs.ReadExactly(bytes);
        }
        catch (OnnxImportException) { throw; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OnnxFormatException(path, $"cannot read the file: {e.Message}", e);
        }
        return Parse(bytes, path, options);
    }

    /// <summary>Parses model bytes; <paramref name="name"/> names them in messages.</summary>
    public static ModelProto Parse(byte[] bytes, string name, OnnxImportOptions options)
    {
        string path = name;
        if (bytes.Length == 0) throw new OnnxFormatException(path, "the model is empty");
        if (bytes.Length > options.MaxModelBytes)
            throw new OnnxFormatException(path, $"the model has {bytes.Length} bytes, more than the limit of {options.MaxModelBytes}");
        ModelProto model;
        try
        {
            // the size limit is the file itself, so a length prefix claiming gigabytes fails before any allocation
            var input = CodedInputStream.CreateWithLimits(new MemoryStream(bytes, writable: false), bytes.Length, options.MaxNestingDepth);
            model = ModelProto.Parser.ParseFrom(input);
        }
        catch (InvalidProtocolBufferException e)
        {
            string why = e.Message.Contains("recursion", StringComparison.OrdinalIgnoreCase)
                ? $"messages are nested deeper than the limit of {options.MaxNestingDepth}"
                : e.Message.Contains("truncated", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("size limit", StringComparison.OrdinalIgnoreCase)
                    ? "the protobuf is truncated or a length prefix points past the end of the file"
                    : "the file is not a valid ONNX protobuf";
            throw new OnnxFormatException(path, $"{why} ({e.Message})", e);
        }
        catch (Exception e) when (e is not OnnxImportException)
        {
            throw new OnnxFormatException(path, $"the file is not a valid ONNX protobuf ({e.GetType().Name}: {e.Message})", e);
        }

        if (model.Graph is null || model.IrVersion == 0)
            throw new OnnxFormatException(path, "the file parses as protobuf but is not an ONNX model (no ir_version or graph)");
        if (model.IrVersion < MinIr || model.IrVersion > MaxIr)
            throw new OnnxUnsupportedException(path, $"IR version {model.IrVersion} is not supported (supported: {MinIr}–{MaxIr})");
        int opset = DefaultOpset(model);
        if (opset < MinOpset || opset > MaxOpset)
            throw new OnnxUnsupportedException(path, $"opset {opset} of the default domain is not supported (supported: {MinOpset}–{MaxOpset})");
        return model;
    }

    /// <summary>The opset version of the default ONNX domain.</summary>
    public static int DefaultOpset(ModelProto model)
    {
        foreach (var o in model.OpsetImport)
            if (o.Domain is "" or "ai.onnx") return checked((int)o.Version);
        return model.IrVersion <= 3 ? 1 : 0;
    }
}
