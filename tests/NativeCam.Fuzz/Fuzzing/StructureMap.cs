using System.Buffers.Binary;

namespace NativeCam.Fuzz.Fuzzing;

/// <summary>A field of a file the mutator edits: offset, size in bytes, byte order; for PNG the chunk whose CRC to fix.</summary>
public sealed record Field(int Offset, int Size, bool BigEndian, int CrcStart = -1)
{
    /// <summary>The field's current value (varints for ONNX are decoded by <see cref="ProtobufVarint"/>).</summary>
    public long Original(byte[] d) => Size switch
    {
        1 => d[Offset],
        2 => BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(Offset)) : BinaryPrimitives.ReadUInt16LittleEndian(d.AsSpan(Offset)),
        4 => BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(Offset)) : BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(Offset)),
        _ => ProtobufVarint.Read(d, Offset).Value,
    };
}

/// <summary>Where the length fields and dimension-like fields of a seed file are.</summary>
public sealed record StructureMap(IReadOnlyList<Field> Lengths, IReadOnlyList<Field> Dimensions)
{
    /// <summary>Maps a seed file of the given kind.</summary>
    public static StructureMap Of(byte[] d, InputKind kind) => kind switch
    {
        InputKind.Png => Png(d),
        InputKind.Jpeg => Jpeg(d),
        InputKind.Bmp => Bmp(d),
        _ => ProtobufVarint.Map(d),
    };

    private static StructureMap Png(byte[] d)
    {
        var lengths = new List<Field>();
        var dims = new List<Field>();
        for (int pos = 8; pos + 12 <= d.Length;)
        {
            int len = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(pos)), int.MaxValue);
            lengths.Add(new Field(pos, 4, true));
            if (d.AsSpan(pos + 4, 4).SequenceEqual("IHDR"u8))
            {
                dims.Add(new Field(pos + 8, 4, true, pos));   // width
                dims.Add(new Field(pos + 12, 4, true, pos));  // height
                dims.Add(new Field(pos + 16, 1, true, pos));  // bit depth
                dims.Add(new Field(pos + 17, 1, true, pos));  // colour type
                dims.Add(new Field(pos + 20, 1, true, pos));  // interlace
            }
            if (len > d.Length - pos - 12) break;
            pos += 12 + len;
        }
        return new StructureMap(lengths, dims);
    }

    private static StructureMap Jpeg(byte[] d)
    {
        var lengths = new List<Field>();
        var dims = new List<Field>();
        int pos = 2;
        while (pos + 4 <= d.Length && d[pos] == 0xFF)
        {
            byte marker = d[pos + 1];
            int len = BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(pos + 2));
            lengths.Add(new Field(pos + 2, 2, true));
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC && pos + 10 <= d.Length)
            {
                dims.Add(new Field(pos + 5, 2, true));  // height
                dims.Add(new Field(pos + 7, 2, true));  // width
                dims.Add(new Field(pos + 9, 1, true));  // components
                for (int c = 0; c < d[pos + 9] && pos + 12 + 3 * c < d.Length; c++)
                {
                    dims.Add(new Field(pos + 11 + 3 * c, 1, true)); // sampling factors
                    dims.Add(new Field(pos + 12 + 3 * c, 1, true)); // quantisation table
                }
            }
            if (marker == 0xDA) break; // entropy-coded data follows
            pos += 2 + len;
        }
        return new StructureMap(lengths, dims);
    }

    private static StructureMap Bmp(byte[] d)
    {
        if (d.Length < 34) return new StructureMap([], []);
        return new StructureMap(
            [new Field(2, 4, false), new Field(10, 4, false), new Field(14, 4, false), new Field(34, 4, false)],
            [new Field(18, 4, false), new Field(22, 4, false), new Field(28, 2, false), new Field(30, 4, false), new Field(46, 4, false)]);
    }
}

/// <summary>CRC-32 of PNG chunks.</summary>
public static class PngCrc
{
    private static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
    {
        uint c = (uint)n;
        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    /// <summary>CRC-32 (ISO 3309) of the bytes.</summary>
    public static uint Of(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFFu;
        foreach (var b in data) c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }

    /// <summary>Recomputes the CRC of the chunk at <paramref name="chunk"/> (when its declared length fits the file).</summary>
    public static void Fix(byte[] d, int chunk)
    {
        long len = BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(chunk));
        if (chunk + 12 + len > d.Length) return;
        BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(chunk + 8 + (int)len), Of(d.AsSpan(chunk + 4, 4 + (int)len)));
    }
}
