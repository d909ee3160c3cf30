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
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxNestingDepth <= 0) throw new ArgumentOutOfRangeException(nameof(options), "MaxNestingDepth must be positive");
        try
        {
            if (string.IsNullOrWhiteSpace(path) || path.Contains('\0')) throw new OnnxFormatException(path, "the path is empty or not valid");
            var info = new FileInfo(path);
            if (Directory.Exists(path)) throw new OnnxFormatException(path, "the path is a folder, not a model file");
            if (info.LinkTarget is not null)
            {
                // size and bytes come from the file the link leads to (e.g. a Hugging Face cache's blob)
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is not FileInfo { Exists: true } file)
                    throw new OnnxFormatException(path, $"the symbolic link leads to '{target?.FullName}', which is not an existing file");
                info = file;
            }
            if (!info.Exists) throw new OnnxFormatException(path, "the file does not exist");
            if (info.Length == 0) throw new OnnxFormatException(path, "the file is empty");
            if (info.Length > options.MaxModelBytes)
                throw new OnnxFormatException(path, $"the file has {info.Length} bytes, more than the limit of {options.MaxModelBytes} (OnnxImportOptions.MaxModelBytes)");
            if (info.Length > Array.MaxLength)
                throw new OnnxFormatException(path, $"the file has {info.Length} bytes, more than a protobuf can hold (2 GiB); large models keep their weights in external data");
            // opened read-only and shared: the file is never locked for writing
            using var fs = new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (fs.Length != info.Length) throw new OnnxFormatException(path, "the file changed size while being read");
            // parsed from the file as it is read: no copy of the whole file is held beside the parsed weights
            return Parse(fs, info.Length, path, options);
        }
        catch (OnnxImportException) { throw; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or System.Security.SecurityException)
        {
            throw new OnnxFormatException(path, $"cannot read the file: {e.Message}", e);
        }
    }

    /// <summary>Parses model bytes; <paramref name="name"/> names them in messages.</summary>
    public static ModelProto Parse(byte[] bytes, string name, OnnxImportOptions options) =>
        Parse(new MemoryStream(bytes, writable: false), bytes.Length, name, options);

    /// <summary>Parses <paramref name="length"/> bytes of model from <paramref name="stream"/>; <paramref name="name"/> names them in messages.</summary>
    private static ModelProto Parse(Stream stream, long length, string name, OnnxImportOptions options)
    {
        string path = name;
        if (length == 0) throw new OnnxFormatException(path, "the model is empty");
        if (length > options.MaxModelBytes)
            throw new OnnxFormatException(path, $"the model has {length} bytes, more than the limit of {options.MaxModelBytes}");
        ModelProto model;
        try
        {
            // the size limit is the file itself, so a length prefix claiming gigabytes fails before any allocation
            var input = CodedInputStream.CreateWithLimits(stream, (int)length, options.MaxNestingDepth);
            model = ModelProto.Parser.ParseFrom(input);
        }
        catch (InvalidProtocolBufferException e)
        {
            string m = e.Message;
            string why =
                m.Contains("nesting", StringComparison.OrdinalIgnoreCase) || m.Contains("recursion", StringComparison.OrdinalIgnoreCase)
                    ? $"messages are nested deeper than the limit of {options.MaxNestingDepth} (OnnxImportOptions.MaxNestingDepth)"
                : m.Contains("negative size", StringComparison.OrdinalIgnoreCase)
                    ? "a length prefix claims a negative size or more than 2 GiB: the protobuf is corrupt"
                : m.Contains("truncated", StringComparison.OrdinalIgnoreCase) || m.Contains("size limit", StringComparison.OrdinalIgnoreCase)
                  || m.Contains("too large", StringComparison.OrdinalIgnoreCase)
                    ? "the protobuf is truncated or a length prefix points past the end of the file"
                : "the file is not a valid ONNX protobuf";
            throw new OnnxFormatException(path, $"{why} ({m})", e);
        }
        catch (Exception e) when (e is not OnnxImportException and not OutOfMemoryException)
        {
            // e.g. invalid UTF-8 in a string field (DecoderFallbackException)
            throw new OnnxFormatException(path, $"the file is not a valid ONNX protobuf ({e.GetType().Name}: {e.Message})", e);
        }

        if (model.Graph is null || model.IrVersion == 0)
            throw new OnnxFormatException(path, "the file parses as protobuf but is not an ONNX model (no ir_version or graph)");
        if (model.IrVersion < MinIr || model.IrVersion > MaxIr)
            throw new OnnxUnsupportedException(path, $"IR version {model.IrVersion} is not supported (supported: {MinIr}–{MaxIr})");
        CheckOpsets(path, model);
        long opset = DefaultOpsetLong(model);
        if (opset < MinOpset || opset > MaxOpset)
            throw new OnnxUnsupportedException(path, $"opset {opset} of the default domain (ai.onnx) is not supported (supported: {MinOpset}–{MaxOpset})");
        return model;
    }

    /// <summary>Every opset_import entry: each domain once, versions from 1 and within int range.</summary>
    private static void CheckOpsets(string path, ModelProto model)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var o in model.OpsetImport)
        {
            string domain = NormalizeDomain(o.Domain);
            string shown = domain.Length == 0 ? "ai.onnx" : domain;
            if (!seen.Add(domain)) throw new OnnxValidationException(path, $"opset_import lists domain '{shown}' twice");
            if (o.Version <= 0) throw new OnnxValidationException(path, $"opset_import gives domain '{shown}' opset {o.Version}; versions start at 1");
            if (o.Version > int.MaxValue) throw new OnnxUnsupportedException(path, $"opset {o.Version} of domain '{shown}' is not supported");
        }
    }

    /// <summary>"" for the default domain, whichever way it is spelled.</summary>
    public static string NormalizeDomain(string domain) => domain is "ai.onnx" ? "" : domain;

    /// <summary>The opset version of the default ONNX domain (valid after <see cref="Read"/>).</summary>
    public static int DefaultOpset(ModelProto model) => (int)Math.Clamp(DefaultOpsetLong(model), 0, int.MaxValue);

    private static long DefaultOpsetLong(ModelProto model)
    {
        foreach (var o in model.OpsetImport)
            if (o.Domain is "" or "ai.onnx") return o.Version;
        return model.IrVersion <= 3 ? 1 : 0;
    }
}
