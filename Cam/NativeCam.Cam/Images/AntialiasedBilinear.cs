using System.Runtime.CompilerServices;

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

    /// <summary>Row <paramref name="y"/> of a source image: interleaved R, G, B bytes (called from several threads).</summary>
    public delegate ReadOnlySpan<byte> RowReader(int y);

    /// <summary>Resizes to <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static RgbImage Resize(RgbImage src, int width, int height)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"target size {width}×{height} must be positive");
        var image = src;
        if (width != src.Width) image = Horizontal(image, width);
        if (height != src.Height) image = Vertical(image, height);
        return image == src ? new RgbImage(src.Width, src.Height, (byte[])src.Pixels.Clone()) : image;
    }

    /// <summary>
    /// Resizes an image read row by row (e.g. straight from the decoder's buffers): the horizontal pass consumes each
    /// row once, so only the horizontally resized strip is held — the same bytes as <see cref="Resize(RgbImage, int, int)"/>.
    /// </summary>
    public static RgbImage Resize(RowReader rows, int srcWidth, int srcHeight, int width, int height)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"target size {width}×{height} must be positive");
        var strip = new byte[(long)width * srcHeight * 3];
        if (width == srcWidth)
            for (int y = 0; y < srcHeight; y++) rows(y)[..(width * 3)].CopyTo(strip.AsSpan(y * width * 3));
        else
        {
            var (start, count, w) = Coefficients(srcWidth, width);
            Parallel.For(0, srcHeight, y => HorizontalRow(rows(y), strip.AsSpan(y * width * 3, width * 3), start, count, w));
        }
        var image = new RgbImage(width, srcHeight, strip);
        return height == srcHeight ? image : Vertical(image, height);
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
        int inStride = src.Width * 3, outStride = width * 3;
        Parallel.For(0, src.Height, y =>
            HorizontalRow(s.AsSpan(y * inStride, inStride), dst.AsSpan(y * outStride, outStride), start, count, w));
        return new RgbImage(width, src.Height, dst);
    }

    /// <summary>One row of the horizontal pass; the three channels share the taps (integer sums, so the order is free).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void HorizontalRow(ReadOnlySpan<byte> row, Span<byte> dst, int[] start, int[] count, int[][] w)
    {
        const long Half = 1L << (PrecisionBits - 1);
        for (int xx = 0; xx < start.Length; xx++)
        {
            var taps = w[xx].AsSpan(0, count[xx]);
            var src = row.Slice(start[xx] * 3, taps.Length * 3);
            long r = Half, g = Half, b = Half;
            for (int t = 0; t < taps.Length; t++)
            {
                long k = taps[t];
                r += src[3 * t] * k;
                g += src[3 * t + 1] * k;
                b += src[3 * t + 2] * k;
            }
            dst[xx * 3] = Clip8(r);
            dst[xx * 3 + 1] = Clip8(g);
            dst[xx * 3 + 2] = Clip8(b);
        }
    }

    private static RgbImage Vertical(RgbImage src, int height)
    {
        var (start, count, w) = Coefficients(src.Height, height);
        int stride = src.Width * 3;
        var dst = new byte[stride * height];
        var s = src.Pixels;
        Parallel.For(0, height, yy =>
        {
            // row by row over the taps: every source row is read sequentially
            var acc = new long[stride];
            Array.Fill(acc, 1L << (PrecisionBits - 1));
            for (int t = 0; t < count[yy]; t++)
            {
                long k = w[yy][t];
                var row = s.AsSpan((start[yy] + t) * stride, stride);
                for (int i = 0; i < row.Length; i++) acc[i] += row[i] * k;
            }
            var outRow = dst.AsSpan(yy * stride, stride);
            for (int i = 0; i < outRow.Length; i++) outRow[i] = Clip8(acc[i]);
        });
        return new RgbImage(src.Width, height, dst);
    }
}
