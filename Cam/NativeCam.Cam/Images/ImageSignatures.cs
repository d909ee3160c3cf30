namespace NativeCam.Cam.Images;

/// <summary>Names an image format from its first bytes (for clear "unsupported format" messages).</summary>
public static class ImageSignatures
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>"PNG", "JPEG", "BMP", "GIF", "WebP", "TIFF", "HEIF/AVIF", "ICO", "empty file" or "unknown".</summary>
    public static string Sniff(ReadOnlySpan<byte> b)
    {
        if (b.Length == 0) return "empty file";
        if (b.StartsWith(PngSignature)) return "PNG";
        if (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return "JPEG";
        if (b.StartsWith("BM"u8) && b.Length >= 14) return "BMP";
        if (b.StartsWith("GIF87a"u8) || b.StartsWith("GIF89a"u8)) return "GIF";
        if (b.Length >= 12 && b.StartsWith("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8)) return "WebP";
        if (b.StartsWith("II*\0"u8) || b.StartsWith("MM\0*"u8)) return "TIFF";
        if (b.Length >= 12 && b[4..8].SequenceEqual("ftyp"u8)) return "HEIF/AVIF";
        if (b.StartsWith(new byte[] { 0, 0, 1, 0 })) return "ICO";
        return "unknown";
    }
}
