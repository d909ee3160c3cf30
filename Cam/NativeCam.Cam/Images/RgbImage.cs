namespace NativeCam.Cam.Images;

/// <summary>An 8-bit RGB image, rows top to bottom, pixels interleaved R, G, B.</summary>
public sealed class RgbImage
{
    /// <summary>Wraps pixel data (not copied).</summary>
    /// <exception cref="ArgumentException">The data length is not width·height·3.</exception>
    public RgbImage(int width, int height, byte[] pixels)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"image size {width}×{height} must be positive");
        if (pixels.Length != (long)width * height * 3)
            throw new ArgumentException($"{pixels.Length} bytes for a {width}×{height} RGB image (expected {(long)width * height * 3})");
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Interleaved R, G, B bytes, row-major.</summary>
    public byte[] Pixels { get; }

    /// <summary>Channel <paramref name="c"/> (0 = R) of pixel (x, y).</summary>
    public byte this[int x, int y, int c] => Pixels[(y * Width + x) * 3 + c];
}
