using NativeCam.Cam.Images;

namespace NativeCam.Cam.Tests.Images;

/// <summary>
/// The ImageNet transform against a straightforward independent implementation. Resizing follows Pillow's
/// antialiased bilinear (what torchvision's Resize does on PIL images), not ImageSharp's resampler (which also
/// widens the triangle when shrinking but computes in float and rounds differently): the reference below evaluates
/// the triangle filter directly in float64 per output pixel, so values may differ from the fixed-point
/// implementation by at most one 8-bit level, while geometry and normalisation are checked exactly.
/// </summary>
public class PreprocessingTests
{
    private static RgbImage Random(int w, int h, int seed)
    {
        var rng = new Random(seed);
        var p = new byte[w * h * 3];
        rng.NextBytes(p);
        return new RgbImage(w, h, p);
    }

    // torchvision: short side → 256, long side int(256·long/short); crop offsets int(round((size − 224)/2)) (half to even)
    private static (int Rw, int Rh, int Left, int Top) PythonGeometry(int w, int h)
    {
        int rw, rh;
        if (w <= h) { rw = 256; rh = (int)Math.Floor(256.0 * h / w); }
        else { rh = 256; rw = (int)Math.Floor(256.0 * w / h); }
        static int PyRound(double v)
        {
            double f = Math.Floor(v);
            double d = v - f;
            return (int)(d > 0.5 ? f + 1 : d < 0.5 ? f : (f % 2 == 0 ? f : f + 1));
        }
        return (rw, rh, PyRound((rw - 224) / 2.0), PyRound((rh - 224) / 2.0));
    }

    [Theory]
    [InlineData(600, 400)]
    [InlineData(451, 300)]
    [InlineData(300, 451)]
    [InlineData(256, 256)]
    [InlineData(224, 224)]
    [InlineData(1000, 257)]
    [InlineData(257, 1001)]
    [InlineData(500, 375)]
    [InlineData(17, 13)]
    public void GeometryMatchesTorchvision(int w, int h)
    {
        var g = ImageNetPreprocessor.Geometry(w, h);
        var (rw, rh, left, top) = PythonGeometry(w, h);
        Assert.Equal((rw, rh, left, top, 224, 224), (g.ResizedWidth, g.ResizedHeight, g.CropLeft, g.CropTop, g.CropWidth, g.CropHeight));
        var (cl, ct, cw, ch) = g.CropInOriginal;
        Assert.Equal(left * (double)w / rw, cl, 12);
        Assert.Equal(top * (double)h / rh, ct, 12);
        Assert.Equal(224.0 * w / rw, cw, 12);
        Assert.Equal(224.0 * h / rh, ch, 12);
    }

    [Fact]
    public void CropOffsetsRoundHalfToEven()
    {
        // 256 × 483: the long side 483 → (483 − 224)/2 = 129.5 → 130 (even); 256 × 481 → 128.5 → 128
        Assert.Equal(130, ImageNetPreprocessor.Geometry(256, 483).CropTop);
        Assert.Equal(128, ImageNetPreprocessor.Geometry(256, 481).CropTop);
    }

    [Fact]
    public void A256SquareReachesTheModelAsAnExactCropAndNormalisesExactly()
    {
        var img = Random(256, 256, 1);
        var (chw, g) = ImageNetPreprocessor.Preprocess(img);
        Assert.Equal((16, 16), (g.CropLeft, g.CropTop));
        float[] mean = [0.485f, 0.456f, 0.406f], std = [0.229f, 0.224f, 0.225f];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 224; y++)
                for (int x = 0; x < 224; x++)
                {
                    float expected = (img[x + 16, y + 16, c] / 255f - mean[c]) / std[c];
                    Assert.Equal(expected, chw[(c * 224 + y) * 224 + x]);
                }
    }

    [Fact]
    public void ConstantImageStaysConstantThroughTheResize()
    {
        var p = new byte[333 * 517 * 3];
        for (int i = 0; i < p.Length; i += 3) (p[i], p[i + 1], p[i + 2]) = (200, 17, 99);
        var (chw, _) = ImageNetPreprocessor.Preprocess(new RgbImage(333, 517, p));
        float[] mean = [0.485f, 0.456f, 0.406f], std = [0.229f, 0.224f, 0.225f];
        byte[] v = [200, 17, 99];
        for (int c = 0; c < 3; c++)
            Assert.All(chw.AsSpan(c * 224 * 224, 224 * 224).ToArray(), x => Assert.Equal((v[c] / 255f - mean[c]) / std[c], x));
    }

    // Independent reference: the triangle filter of support max(1, scale) centred at (i + 0.5)·scale, weights
    // normalised, evaluated directly in float64; horizontal pass rounded to 8 bits, then the vertical pass.
    private static double[] ReferencePass(Func<int, double> sample, int inSize, int outSize)
    {
        double scale = (double)inSize / outSize, support = Math.Max(scale, 1);
        var result = new double[outSize];
        for (int o = 0; o < outSize; o++)
        {
            double center = (o + 0.5) * scale, sum = 0, wsum = 0;
            for (int i = 0; i < inSize; i++)
            {
                double t = Math.Abs((i + 0.5 - center) / support);
                if (t >= 1) continue;
                sum += (1 - t) * sample(i);
                wsum += 1 - t;
            }
            result[o] = sum / wsum;
        }
        return result;
    }

    [Theory]
    [InlineData(97, 61, 41, 29)]   // shrink both ways
    [InlineData(40, 30, 77, 53)]   // enlarge both ways
    [InlineData(120, 20, 47, 33)]  // shrink one way, enlarge the other
    public void ResizeMatchesDirectTriangleFilterWithinOneLevel(int w, int h, int ow, int oh)
    {
        var img = Random(w, h, w * 31 + h);
        var got = AntialiasedBilinear.Resize(img, ow, oh);
        int off = 0;
        long total = 0;
        for (int c = 0; c < 3; c++)
        {
            var rows = new double[h][];
            for (int y = 0; y < h; y++)
            {
                int yy = y;
                rows[y] = ReferencePass(x => img[x, yy, c], w, ow).Select(v => Math.Clamp(Math.Round(v), 0, 255)).ToArray();
            }
            for (int x = 0; x < ow; x++)
            {
                var col = ReferencePass(y => rows[y][x], h, oh);
                for (int y = 0; y < oh; y++)
                {
                    int d = Math.Abs(got[x, y, c] - (int)Math.Clamp(Math.Round(col[y]), 0, 255));
                    Assert.True(d <= 1, $"pixel ({x},{y},{c}): {got[x, y, c]} vs reference {col[y]:0.###}");
                    off += d;
                    total++;
                }
            }
        }
        Assert.True(off < total / 20, $"{off} of {total} values differ by one level");
    }

    [Fact]
    public void ResizeToTheSameSizeIsTheIdentity()
    {
        var img = Random(31, 17, 3);
        Assert.Equal(img.Pixels, AntialiasedBilinear.Resize(img, 31, 17).Pixels);
    }
}
