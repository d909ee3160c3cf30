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

    private static string Truncated(long present, long expected, string what) =>
        $"is truncated: {present} of {expected} bytes {what}";

    private static string? Png(byte[] b)
    {
        int pos = 8;
        var idat = new List<(int Offset, int Length)>();
        int width = 0, height = 0, depth = 0, colour = 0, interlace = 0;
        bool header = false;
        while (pos + 8 <= b.Length)
        {
            long length = BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(pos));
            uint type = BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(pos + 4));
            long available = Math.Min(length, b.Length - (pos + 8L));
            if (type == 0x49484452 && available >= 13) // IHDR
            {
                width = BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(pos + 8));
                height = BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(pos + 12));
                (depth, colour, interlace) = (b[pos + 16], b[pos + 17], b[pos + 20]);
                header = true;
            }
            else if (type == 0x49444154) idat.Add((pos + 8, (int)available)); // IDAT
            else if (type == 0x49454E44) break; // IEND
            if (available < length) break;
            pos += 12 + (int)length;
        }
        if (!header) return null; // the decoder reports a missing header itself
        long expected = PngRawSize(width, height, depth, colour, interlace);
        if (expected <= 0) return null;
        long inflated = InflatedLength(b, idat, expected);
        return inflated < expected ? Truncated(inflated, expected, "of pixel data (after decompression) are present") : null;
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

    /// <summary>How many bytes the concatenated IDAT data inflates to (stops at <paramref name="limit"/> or at bad data).</summary>
    private static long InflatedLength(byte[] b, List<(int Offset, int Length)> idat, long limit)
    {
        var compressed = new MemoryStream();
        foreach (var (o, l) in idat) compressed.Write(b, o, l);
        if (compressed.Length < 2) return 0;
        compressed.Position = 2; // the zlib header; the deflate stream follows
        long total = 0;
        try
        {
            using var inflate = new DeflateStream(compressed, CompressionMode.Decompress);
            var buffer = new byte[1 << 16];
            int n;
            while (total < limit && (n = inflate.Read(buffer)) > 0) total += n;
        }
        catch (InvalidDataException) { }
        return total;
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
