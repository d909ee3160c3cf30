using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace NativeCam.Cam.Images;

/// <summary>Encodes <see cref="RgbImage"/>s.</summary>
public static class ImageWriter
{
    /// <summary>Writes a PNG (8-bit RGB) to a stream.</summary>
    public static void WritePng(RgbImage image, Stream stream)
    {
        using var img = Image.LoadPixelData<Rgb24>(image.Pixels, image.Width, image.Height);
        img.Save(stream, new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8, CompressionLevel = PngCompressionLevel.BestSpeed });
    }

    /// <summary>The PNG bytes of an image.</summary>
    public static byte[] EncodePng(RgbImage image)
    {
        using var ms = new MemoryStream();
        WritePng(image, ms);
        return ms.ToArray();
    }
}
