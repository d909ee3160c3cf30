namespace NativeCam.Cam.Images;

/// <summary>
/// Bilinear resizing as Pillow (and so torchvision's <c>Resize</c> on PIL images) does it: a triangle filter whose
/// support grows with the downscale factor (antialiasing), taps at <c>center = (x + 0.5)·scale</c>, weights
/// normalised per output pixel and held in 22-bit fixed point, a horizontal pass then a vertical one, with the
/// intermediate rounded to 8 bits. ImageSharp's bilinear resampler is similar but works in floating point and
/// rounds differently, so results would differ by a level here and there; this reproduces Pillow bit for bit.
/// </summary>
public static class AntialiasedBilinear
{
    private const int PrecisionBits = 32 - 8 - 2;

    /// <summary>Resizes to <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static RgbImage Resize(RgbImage src, int width, int height)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"target size {width}×{height} must be positive");
        var image = src;
        if (width != src.Width) image = Horizontal(image, width);
        if (height != src.Height) image = Vertical(image, height);
        return image == src ? new RgbImage(src.Width, src.Height, (byte[])src.Pixels.Clone()) : image;
    }

    /// <summary>Per output index: first input tap, tap count and fixed-point weights (Pillow's precompute_coeffs).</summary>
    internal static (int[] Start, int[] Count, int[][] Weights) Coefficients(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize, filterScale = Math.Max(scale, 1.0);
        double support = 1.0 * filterScale;
        var start = new int[outSize];
        var count = new int[outSize];
        var weights = new int[outSize][];
        for (int xx = 0; xx < outSize; xx++)
        {
            double center = (xx + 0.5) * scale, ss = 1.0 / filterScale;
            int xmin = Math.Max((int)(center - support + 0.5), 0);
            int xmax = Math.Min((int)(center + support + 0.5), inSize) - xmin;
            var k = new double[Math.Max(xmax, 0)];
            double ww = 0;
            for (int x = 0; x < k.Length; x++)
            {
                double t = Math.Abs((x + xmin - center + 0.5) * ss);
                k[x] = t < 1 ? 1 - t : 0;
                ww += k[x];
            }
            var fixedW = new int[k.Length];
            for (int x = 0; x < k.Length; x++)
            {
                double v = ww != 0 ? k[x] / ww : k[x];
                fixedW[x] = (int)(v < 0 ? -0.5 + v * (1 << PrecisionBits) : 0.5 + v * (1 << PrecisionBits));
            }
            start[xx] = xmin;
            count[xx] = k.Length;
            weights[xx] = fixedW;
        }
        return (start, count, weights);
    }

    private static byte Clip8(long acc) =>
        acc >= (255L + 1) << PrecisionBits ? (byte)255 : acc <= 0 ? (byte)0 : (byte)(acc >> PrecisionBits);

    private static RgbImage Horizontal(RgbImage src, int width)
    {
        var (start, count, w) = Coefficients(src.Width, width);
        var dst = new byte[width * src.Height * 3];
        var s = src.Pixels;
        Parallel.For(0, src.Height, y =>
        {
            int rowIn = y * src.Width * 3, rowOut = y * width * 3;
            for (int xx = 0; xx < width; xx++)
                for (int c = 0; c < 3; c++)
                {
                    long acc = 1L << (PrecisionBits - 1);
                    for (int t = 0; t < count[xx]; t++) acc += s[rowIn + (start[xx] + t) * 3 + c] * (long)w[xx][t];
                    dst[rowOut + xx * 3 + c] = Clip8(acc);
                }
        });
        return new RgbImage(width, src.Height, dst);
    }

    private static RgbImage Vertical(RgbImage src, int height)
    {
        var (start, count, w) = Coefficients(src.Height, height);
        int stride = src.Width * 3;
        var dst = new byte[stride * height];
        var s = src.Pixels;
        Parallel.For(0, height, yy =>
        {
            for (int i = 0; i < stride; i++)
            {
                long acc = 1L << (PrecisionBits - 1);
                for (int t = 0; t < count[yy]; t++) acc += s[(start[yy] + t) * stride + i] * (long)w[yy][t];
                dst[yy * stride + i] = Clip8(acc);
            }
        });
        return new RgbImage(src.Width, height, dst);
    }
}
