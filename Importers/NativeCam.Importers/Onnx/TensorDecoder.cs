using System.Buffers.Binary;
using Google.Protobuf;
using Onnx;
using DT = Onnx.TensorProto.Types.DataType;

namespace NativeCam.Importers.Onnx;

/// <summary>Decodes and validates a TensorProto (raw_data, typed fields, or external data next to the model).</summary>
internal sealed class TensorDecoder(string modelPath, OnnxImportOptions options, DecodedWeights? shared = null)
{
    private string? _dir;

    /// <summary>The model's folder, resolved only when external data is read (never throws at construction).</summary>
    private string ModelDir => _dir ??= Path.GetFullPath(Path.GetDirectoryName(Path.GetFullPath(modelPath)) ?? ".");

    /// <summary>Decodes <paramref name="t"/>; <paramref name="node"/> locates it in messages.</summary>
    /// <remarks>With <c>shared</c> decodes each tensor once for every build of the file (see <see cref="DecodedWeights"/>).</remarks>
    public ConstantData Decode(TensorProto t, (int Index, string Name, string Op)? node = null) =>
        shared is null ? DecodeOnce(t, node) : shared.Decode(t, () => DecodeOnce(t, node));

    /// <summary>Decodes a graph initializer; with <c>shared</c> its raw bytes are released once decoded (every
    /// decoder of the file reads initializers through the shared cache).</summary>
    public ConstantData DecodeInitializer(TensorProto t) =>
        shared is null ? DecodeOnce(t, null) : shared.Decode(t, () => DecodeOnce(t, null), releaseRaw: true);

    private ConstantData DecodeOnce(TensorProto t, (int Index, string Name, string Op)? node)
    {
        OnnxValidationException Bad(string rule) =>
            new(modelPath, rule, node?.Index, node?.Name, node?.Op, string.IsNullOrEmpty(t.Name) ? null : t.Name);

        var shape = Dims(t.Dims, options, Bad);
        long n = 1;
        foreach (int d in shape) n *= d;
        var type = (DT)t.DataType;
        int size = ElementSize(type) ?? throw new OnnxUnsupportedException(modelPath,
            $"data type {t.DataType} ({(Enum.IsDefined(type) ? type.ToString() : "unknown")}) is not supported (float, double, float16, int8, uint8, int32, int64, bool)",
            node?.Index, node?.Name, node?.Op, string.IsNullOrEmpty(t.Name) ? null : t.Name);
        if (n * size > Array.MaxLength) throw Bad($"the data needs {n * size} bytes, more than one array can hold");

        var typed = new List<string>();
        if (t.FloatData.Count > 0) typed.Add("float_data");
        if (t.Int32Data.Count > 0) typed.Add("int32_data");
        if (t.Int64Data.Count > 0) typed.Add("int64_data");
        if (t.DoubleData.Count > 0) typed.Add("double_data");
        if (t.Uint64Data.Count > 0) typed.Add("uint64_data");
        if (t.StringData.Count > 0) typed.Add("string_data");
        bool external = t.DataLocation == TensorProto.Types.DataLocation.External;
        int sources = typed.Count + (t.RawData.Length > 0 ? 1 : 0) + (external ? 1 : 0);
        if (sources > 1)
            throw Bad($"more than one data field is set ({string.Join(", ", typed.Concat(t.RawData.Length > 0 ? ["raw_data"] : []).Concat(external ? ["external data"] : []))}); raw_data, typed fields and external data are exclusive");
        if (t.DataLocation is not (TensorProto.Types.DataLocation.Default or TensorProto.Types.DataLocation.External))
            throw Bad($"data_location {(int)t.DataLocation} is neither DEFAULT nor EXTERNAL");
        if (!external && t.ExternalData.Count > 0) throw Bad("external_data entries are set, but data_location is not EXTERNAL");

        if (external || t.RawData.Length > 0 || (sources == 0 && n == 0))
        {
            ReadOnlySpan<byte> raw = external ? ReadExternal(t, n * size, Bad) : t.RawData.Span;
            if (raw.Length != n * size)
                throw Bad($"raw data has {raw.Length} bytes, but shape [{string.Join(", ", shape)}] of {type} needs {n * size}");
            return FromRaw(raw, shape, type, (int)n);
        }
        if (sources == 0) throw Bad($"no data for {n} elements (no raw_data, typed field or external data)");
        string expected = TypedField(type);
        if (typed[0] != expected) throw Bad($"{type} values belong in {expected}, but {typed[0]} is set");
        return FromTyped(t, shape, type, (int)n, Bad);
    }

    /// <summary>The typed field that holds values of <paramref name="type"/>.</summary>
    private static string TypedField(DT type) => type switch
    {
        DT.Float => "float_data",
        DT.Double => "double_data",
        DT.Int64 => "int64_data",
        _ => "int32_data", // int32, int8, uint8, bool, float16 (bits)
    };

    /// <summary>
    /// Checked dims: non-negative, rank and element count within the limits (the element limit is also capped at
    /// the largest .NET array, so counts never overflow).
    /// </summary>
    public static int[] Dims(IList<long> dims, OnnxImportOptions options, Func<string, Exception> bad)
    {
        if (dims.Count > options.MaxRank) throw bad($"rank {dims.Count} exceeds the limit of {options.MaxRank} (OnnxImportOptions.MaxRank)");
        long limit = ElementLimit(options);
        var shape = new int[dims.Count];
        long n = 1;
        for (int i = 0; i < dims.Count; i++)
            if (dims[i] < 0) throw bad($"dim {i} is negative ({dims[i]})");
        for (int i = 0; i < dims.Count; i++)
        {
            if (dims[i] > limit) throw bad($"dim {i} ({dims[i]}) exceeds the element limit of {limit}{LimitNote(options)}");
            shape[i] = (int)dims[i];
            // n ≤ limit ≤ 2^31 and dims[i] ≤ limit, so the product cannot overflow
            n *= dims[i];
            if (n > limit) throw bad($"shape [{string.Join(", ", dims)}] has more elements than the limit of {limit}{LimitNote(options)}");
        }
        return shape;
    }

    /// <summary>The effective element limit: the option, capped at the largest array.</summary>
    public static long ElementLimit(OnnxImportOptions options) => Math.Min(options.MaxTensorElements, Array.MaxLength);

    private static string LimitNote(OnnxImportOptions options) =>
        options.MaxTensorElements > Array.MaxLength ? " (the largest .NET array)" : " (OnnxImportOptions.MaxTensorElements)";

    private static int? ElementSize(DT t) => t switch
    {
        DT.Float or DT.Int32 => 4,
        DT.Double or DT.Int64 => 8,
        DT.Float16 => 2,
        DT.Int8 or DT.Uint8 or DT.Bool => 1,
        _ => null,
    };

    private static ConstantData FromRaw(ReadOnlySpan<byte> raw, int[] shape, DT type, int n)
    {
        switch (type)
        {
            case DT.Float:
                {
                    // little-endian IEEE singles: one copy (the byte order is checked, not assumed)
                    var f = GC.AllocateUninitializedArray<float>(n);
                    if (BitConverter.IsLittleEndian) raw[..(4 * n)].CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(f.AsSpan()));
                    else for (int i = 0; i < n; i++) f[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(4 * i)..]);
                    return ConstantData.OfSingles(f, shape);
                }
            case DT.Double:
                { var f = new double[n]; for (int i = 0; i < n; i++) f[i] = BinaryPrimitives.ReadDoubleLittleEndian(raw[(8 * i)..]); return new(shape, type, f, null); }
            case DT.Float16:
                { var f = new double[n]; for (int i = 0; i < n; i++) f[i] = (double)BinaryPrimitives.ReadHalfLittleEndian(raw[(2 * i)..]); return new(shape, type, f, null); }
            default:
                {
                    var v = new long[n];
                    for (int i = 0; i < n; i++)
                        v[i] = type switch
                        {
                            DT.Int64 => BinaryPrimitives.ReadInt64LittleEndian(raw[(8 * i)..]),
                            DT.Int32 => BinaryPrimitives.ReadInt32LittleEndian(raw[(4 * i)..]),
                            DT.Int8 => (sbyte)raw[i],
                            DT.Bool => raw[i] != 0 ? 1 : 0,
                            _ => raw[i], // uint8
                        };
                    return new(shape, type, null, v);
                }
        }
    }

    private static ConstantData FromTyped(TensorProto t, int[] shape, DT type, int n, Func<string, Exception> bad)
    {
        int count = type switch
        {
            DT.Float => t.FloatData.Count,
            DT.Double => t.DoubleData.Count,
            DT.Int64 => t.Int64Data.Count,
            _ => t.Int32Data.Count, // int32, int16, int8, uint8, bool, float16 (bits) live in int32_data
        };
        if (count != n) throw bad($"the typed data field has {count} values, but the shape needs {n}");
        switch (type)
        {
            case DT.Float: return ConstantData.OfSingles(t.FloatData.ToArray(), shape);
            case DT.Double: return new(shape, type, t.DoubleData.ToArray(), null);
            case DT.Float16: return new(shape, type, t.Int32Data.Select(v => (double)BitConverter.UInt16BitsToHalf((ushort)v)).ToArray(), null);
            case DT.Int64: return new(shape, type, null, t.Int64Data.ToArray());
            default:
                return new(shape, type, null, t.Int32Data.Select(v => type switch
                {
                    DT.Int8 => (long)(sbyte)v,
                    DT.Uint8 => (byte)v,
                    DT.Bool => v != 0 ? 1L : 0L,
                    _ => v,
                }).ToArray());
        }
    }

    /// <summary>
    /// Reads external data: the location must be a relative path inside the model's folder (no "..", no absolute
    /// path, no symbolic link leading out), and offset + length must lie within the file.
    /// </summary>
    private byte[] ReadExternal(TensorProto t, long bytesNeeded, Func<string, Exception> bad)
    {
        string? location = null;
        long offset = 0, length = -1;
        foreach (var kv in t.ExternalData)
        {
            switch (kv.Key)
            {
                case "location": location = kv.Value; break;
                case "offset": if (!long.TryParse(kv.Value, out offset) || offset < 0) throw bad($"external data offset '{kv.Value}' is not a non-negative integer"); break;
                case "length": if (!long.TryParse(kv.Value, out length) || length < 0) throw bad($"external data length '{kv.Value}' is not a non-negative integer"); break;
            }
        }
        if (string.IsNullOrWhiteSpace(location)) throw bad("external data has no location");
        if (location.Any(char.IsControl) || location.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            throw bad($"external data location '{Printable(location)}' contains control or invalid path characters");
        if (Path.IsPathRooted(location) || location.StartsWith('/') || location.Contains('\\') || location.Contains(':')
            || location.Split('/').Any(p => p == ".."))
            throw bad($"external data location '{location}' must be a relative path inside the model's folder (no absolute paths, no '..', no '\\' or ':')");
        try
        {
            string full = Path.GetFullPath(Path.Combine(ModelDir, location));
            if (!IsInside(full)) throw bad($"external data location '{location}' resolves outside the model's folder");
            // every component under the model folder: a symbolic link must stay inside the folder
            var probe = ModelDir;
            string real = full;
            foreach (var part in Path.GetRelativePath(ModelDir, full).Split(Path.DirectorySeparatorChar))
            {
                probe = Path.Combine(probe, part);
                FileSystemInfo fi = Directory.Exists(probe) ? new DirectoryInfo(probe) : new FileInfo(probe);
                if (fi.LinkTarget is not null)
                {
                    var target = fi.ResolveLinkTarget(returnFinalTarget: true);
                    if (target is null || !(IsInside(Path.GetFullPath(target.FullName)) || IsInsideRealModelDir(Path.GetFullPath(target.FullName))))
                        throw bad($"external data location '{location}' goes through a symbolic link leading outside the model's folder");
                    if (probe == full) real = Path.GetFullPath(target.FullName);
                }
            }
            if (Directory.Exists(real)) throw bad($"external data location '{location}' is a folder, not a file");
            if (!File.Exists(real)) throw bad($"external data location '{location}' does not exist in the model's folder");
            long fileLength = new FileInfo(real).Length;
            if (length < 0) length = bytesNeeded;
            if (length != bytesNeeded) throw bad($"external data length {length} differs from the {bytesNeeded} bytes the shape needs");
            if (offset > fileLength || length > fileLength - offset)
                throw bad($"external data [{offset}, {offset + length}) lies past the end of '{location}' ({fileLength} bytes)");
            using var fs = new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            fs.Seek(offset, SeekOrigin.Begin);
            var buf = new byte[length];
            fs.ReadExactly(buf);
            return buf;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or System.Security.SecurityException)
        {
            throw bad($"cannot read external data '{location}': {e.Message}");
        }
    }

    private static string Printable(string s) => string.Concat(s.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    /// <summary>
    /// Whether a link's target lies in the folder of the file the model path itself leads to (a model reached through
    /// a link, e.g. in a Hugging Face cache, keeps its data next to its real file).
    /// </summary>
    private bool IsInsideRealModelDir(string full)
    {
        var model = new FileInfo(Path.GetFullPath(modelPath));
        if (model.LinkTarget is null || model.ResolveLinkTarget(returnFinalTarget: true) is not { } real) return false;
        string dir = Path.GetDirectoryName(Path.GetFullPath(real.FullName)) ?? "";
        return dir.Length > 0 && Path.GetPathRoot(dir) != dir && full.StartsWith(dir.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private bool IsInside(string full) =>
        full.StartsWith(ModelDir.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
