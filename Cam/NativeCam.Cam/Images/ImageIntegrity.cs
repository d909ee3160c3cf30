using System.Buffers.Binary;
using System.IO.Compression;

namespace NativeCam.Cam.Images;

/// <summary>
/// Checks that the pixel data of a PNG, JPEG or BMP file is all there before it is decoded, as Pillow does by
/// default: decoders fill missing data with black silently, which would be explained as if it were the photo.
/// PNG: the IDAT stream must inflate to the size the header declares; JPEG: the markers must lead to the
/// end-of-image marker; BMP (uncompressed): the pixel array must fit in the file.
/// </summary>
public static class ImageIntegrity
{
    /// <summary>Why the data is incomplete ("is truncated: …"), or null when it is complete.</summary>
    /// <param name="format">"PNG", "JPEG" or "BMP" (others are not checked).</param>
    public static string? Check(string format, byte[] bytes) => format switch
    {
        "PNG" => Png(bytes),
        "JPEG" => Jpeg(bytes),
        "BMP" => Bmp(bytes),
        _ => null,
    };

    /// <summary>
    /// Header fields that point past the end of the file, checked before the decoder sees them (the decoder would
    /// allocate what they claim): a BMP's pixel-data offset and colour-table size. Null when they fit.
    /// </summary>
    public static string? CheckHeader(string format, byte[] bytes)
    {
        if (format != "BMP" || bytes.Length < 18) return null;
        long offset = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(10));
        if (offset > bytes.Length)
            return $"is corrupt: the pixel data offset {offset} lies past the end of the file ({bytes.Length} bytes)";
        uint dib = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(14));
        if (dib >= 40 && bytes.Length >= 50)
        {
            long colours = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(46));
            if (14 + dib + 4 * colours > bytes.Length)
                return $"is corrupt: a colour table of {colours} entries does not fit in the file ({bytes.Length} bytes)";
        }
        return null;
    }

    private static string Truncated(long present, long expected, string what) =>
        $"is truncated: {present} of {expected} bytes {what}";

    private static string? Png(byte[] b)
    {
        var layout = PngLayout.Of(b);
        if (layout is null) return null; // no header: the decoder reports that itself
        long expected = layout.RawSize;
        if (expected <= 0) return null;
        var (inflated, corrupt) = Inflate(b, layout.Idat, expected, null);
        if (inflated >= expected) return null;
        return corrupt is null
            ? Truncated(inflated, expected, "of pixel data (after decompression) are present")
            : $"is corrupt: the compressed pixel data is invalid after {inflated} of {expected} bytes ({corrupt})";
    }

    /// <summary>
    /// A PNG whose pixel data stops early or turns invalid, made whole for the decoder: the chunks before the image
    /// data, then one IDAT holding what inflates, padded with zero bytes (black, unfiltered) to the declared size.
    /// </summary>
    public static byte[] CompletePng(byte[] b)
    {
        var layout = PngLayout.Of(b);
        if (layout is null || layout.RawSize <= 0) return b;
        var raw = new MemoryStream();
        var (inflated, _) = Inflate(b, layout.Idat, layout.RawSize, raw);
        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            raw.Position = 0;
            raw.CopyTo(z);
            var zeros = new byte[1 << 16];
            for (long left = layout.RawSize - inflated; left > 0; left -= zeros.Length) z.Write(zeros, 0, (int)Math.Min(left, zeros.Length));
        }
        var result = new MemoryStream();
        result.Write(b, 0, 8);
        foreach (var (o, l) in layout.Before) result.Write(b, o, l);
        WriteChunk(result, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(result, "IEND"u8, []);
        return result.ToArray();
    }

    private static void WriteChunk(Stream s, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        type.CopyTo(head[4..]);
        s.Write(head);
        s.Write(data);
        uint crc = Crc32(head[4..], 0xFFFFFFFFu);
        crc = Crc32(data, crc) ^ 0xFFFFFFFFu;
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc);
        s.Write(tail);
    }

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        uint c = (uint)n;
        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    private static uint Crc32(ReadOnlySpan<byte> data, uint c)
    {
        foreach (var x in data) c = CrcTable[(c ^ x) & 0xFF] ^ (c >> 8);
        return c;
    }

    /// <summary>Where a PNG's chunks are: the complete ones before the image data, the IDAT payloads, the header fields.</summary>
    private sealed record PngLayout(List<(int Offset, int Length)> Before, List<(int Offset, int Length)> Idat, long RawSize)
    {
        public static PngLayout? Of(byte[] b)
        {
            int pos = 8;
            var before = new List<(int, int)>();
            var idat = new List<(int Offset, int Length)>();
            long raw = -1;
            while (pos + 8 <= b.Length)
            {
                long length = BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(pos));
                uint type = BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(pos + 4));
                long available = Math.Min(length, b.Length - (pos + 8L));
                bool complete = available == length && pos + 12L + length <= b.Length;
                if (type == 0x49484452 && available >= 13) // IHDR
                    raw = PngRawSize(BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(pos + 8)), BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(pos + 12)),
                        b[pos + 16], b[pos + 17], b[pos + 20]);
                if (type == 0x49444154) idat.Add((pos + 8, (int)available)); // IDAT
                else if (type == 0x49454E44) break; // IEND
                else if (idat.Count == 0 && complete) before.Add((pos, (int)length + 12));
                if (!complete) break;
                pos += 12 + (int)length;
            }
            return raw < 0 ? null : new PngLayout(before, idat, raw);
        }
    }

    /// <summary>Filtered scanline bytes of a PNG: per row one filter byte and the packed pixels (Adam7 passes summed).</summary>
    private static long PngRawSize(int width, int height, int depth, int colour, int interlace)
    {
        int channels = colour switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        if (channels == 0 || depth is not (1 or 2 or 4 or 8 or 16) || width <= 0 || height <= 0) return 0;
        long bits = (long)channels * depth;
        long Rows(long w, long h) => w == 0 || h == 0 ? 0 : h * (1 + (w * bits + 7) / 8);
        if (interlace == 0) return Rows(width, height);
        ReadOnlySpan<int> x0 = [0, 4, 0, 2, 0, 1, 0], dx = [8, 8, 4, 4, 2, 2, 1], y0 = [0, 0, 4, 0, 2, 0, 1], dy = [8, 8, 8, 4, 4, 2, 2];
        long total = 0;
        for (int p = 0; p < 7; p++)
            total += Rows(Math.Max(0, (width - x0[p] + dx[p] - 1) / dx[p]), Math.Max(0, (height - y0[p] + dy[p] - 1) / dy[p]));
        return total;
    }

    /// <summary>
    /// How many bytes the concatenated IDAT data inflates to (up to <paramref name="limit"/>), and why it stopped
    /// early when the data is invalid; the bytes go to <paramref name="sink"/> when given.
    /// </summary>
    private static (long Length, string? Corrupt) Inflate(byte[] b, List<(int Offset, int Length)> idat, long limit, Stream? sink)
    {
        var compressed = new MemoryStream();
        foreach (var (o, l) in idat) compressed.Write(b, o, l);
        if (compressed.Length < 2) return (0, null);
        compressed.Position = 2; // the zlib header; the deflate stream follows
        long total = 0;
        try
        {
            using var inflate = new DeflateStream(compressed, CompressionMode.Decompress);
            var buffer = new byte[1 << 16];
            int n;
            while (total < limit && (n = inflate.Read(buffer, 0, (int)Math.Min(buffer.Length, limit - total))) > 0)
            {
                sink?.Write(buffer, 0, n);
                total += n;
            }
        }
        catch (InvalidDataException e) { return (total, e.Message); }
        return (total, null);
    }

    private static string? Jpeg(byte[] b)
    {
        int pos = 2;
        while (true)
        {
            while (pos < b.Length && b[pos] != 0xFF) pos++; // bytes between segments are skipped, as libjpeg does
            while (pos < b.Length && b[pos] == 0xFF) pos++; // fill bytes
            if (pos >= b.Length) break;
            byte marker = b[pos++];
            if (marker == 0xD9) return null; // EOI
            if (marker is 0x01 or (>= 0xD0 and <= 0xD8)) continue; // standalone markers
            if (pos + 2 > b.Length) return Truncated(b.Length, pos + 2, "(the file ends inside a marker's length field)");
            int length = BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(pos));
            if (pos + length > b.Length) return Truncated(b.Length, pos + length, $"(the 0x{marker:X2} segment runs past the end of the file)");
            pos += length;
            if (marker != 0xDA) continue;
            // entropy-coded data of a scan: up to the next marker that is not a stuffed 0xFF00 or a restart marker
            while (pos + 1 < b.Length && !(b[pos] == 0xFF && b[pos + 1] != 0 && b[pos + 1] is not (>= 0xD0 and <= 0xD7))) pos++;
            if (pos + 1 >= b.Length)
                return $"is truncated: the file ends after {b.Length} bytes inside the compressed scan data, before the end-of-image marker";
        }
        return $"is truncated: the file ends after {b.Length} bytes without the end-of-image marker";
    }

    private static string? Bmp(byte[] b)
    {
        if (b.Length < 30) return null;
        long offset = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(10));
        uint dib = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(14));
        long width, height;
        int bpp;
        uint compression = 0;
        if (dib == 12)
        {
            (width, height, bpp) = (BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(18)), BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(20)),
                BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(24)));
        }
        else if (dib >= 40 && b.Length >= 34)
        {
            width = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(18));
            height = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(22)));
            bpp = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(28));
            compression = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(30));
        }
        else return null;
        if (compression is not (0 or 3 or 6) || width <= 0 || bpp is not (1 or 2 or 4 or 8 or 16 or 24 or 32)) return null;
        long expected = offset + (width * bpp + 31) / 32 * 4 * height;
        return b.Length < expected ? Truncated(b.Length, expected, "(the pixel array runs past the end of the file)") : null;
    }
}
