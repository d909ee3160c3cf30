using System.Buffers.Binary;
using System.Text;

namespace NativeCam.Cam.Tests.Images;

/// <summary>Hand-made image files: PNG headers of any size, tiny GIF and WebP files, corrupt data.</summary>
public static class CraftedImages
{
    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        uint c = (uint)n;
        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    /// <summary>CRC-32 as PNG defines it (ISO 3309).</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFFu;
        foreach (var b in data) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    /// <summary>A PNG signature, a valid IHDR of the given size (8-bit RGB) and IEND: no pixel data at all.</summary>
    public static byte[] PngHeader(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;  // bit depth
        ihdr[9] = 2;  // colour type RGB
        byte[] sig = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        return [.. sig, .. Chunk("IHDR", ihdr), .. Chunk("IEND", [])];
    }

    /// <summary>A 1×1 GIF89a.</summary>
    public static byte[] Gif() =>
    [
        .. "GIF89a"u8, 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 255, 255, 255,
        0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0, 0x3B,
    ];

    /// <summary>A 1×1 lossless WebP.</summary>
    public static byte[] WebP()
    {
        byte[] vp8l = [0x2F, 0, 0, 0, 0, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xFE, 0x07, 0x00];
        var body = new List<byte>();
        body.AddRange("WEBP"u8.ToArray());
        body.AddRange("VP8L"u8.ToArray());
        body.AddRange(BitConverter.GetBytes(vp8l.Length));
        body.AddRange(vp8l);
        return [.. "RIFF"u8, .. BitConverter.GetBytes(body.Count), .. body];
    }

    /// <summary>A PNG signature followed by garbage.</summary>
    public static byte[] CorruptPng(int seed)
    {
        var junk = new byte[300];
        new Random(seed).NextBytes(junk);
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. junk];
    }
}
