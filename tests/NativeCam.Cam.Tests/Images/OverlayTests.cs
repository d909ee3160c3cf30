using NativeCam.Cam.Images;

namespace NativeCam.Cam.Tests.Images;

/// <summary>The overlay formula of shapleycam.md §4 step 5, and the crop undone on the original photo.</summary>
public class OverlayTests
{
    // out = (1 − w)·JET(uint8(255·m))/255 + w·img/255; out /= max(out); uint8(255·out) — float32 as NumPy
    private static byte[] ReferenceBlend(byte[] img, float[] mask, float w)
    {
        var o = new float[img.Length];
        for (int i = 0; i < mask.Length; i++)
        {
            var (r, g, b) = JetColormap.Color((byte)(255f * mask[i]));
            float[] heat = [r / 255f, g / 255f, b / 255f];
            for (int c = 0; c < 3; c++) o[i * 3 + c] = (1 - w) * heat[c] + w * (img[i * 3 + c] / 255f);
        }
        float max = o.Max();
        return o.Select(v => (byte)(255f * (v / max))).ToArray();
    }

    [Theory]
    [InlineData(0.5f)]
    [InlineData(0.2f)]
    [InlineData(1f)]
    public void BlendMatchesTheFormulaOnATinyImage(float w)
    {
        byte[] img = [10, 200, 30, 255, 255, 255, 0, 0, 0, 128, 64, 32, 90, 90, 90, 1, 2, 3];
        float[] mask = [0f, 0.25f, 0.5f, 0.75f, 1f, 0.999f];
        var got = CamOverlay.Blend(new RgbImage(3, 2, img), mask, w);
        Assert.Equal(ReferenceBlend(img, mask, w), got.Pixels);
    }

    [Fact]
    public void OnA256SquareTheInsideIsTheCropBlendAndTheOutsideIsTheDimmedPhoto()
    {
        var rng = new Random(4);
        var p = new byte[256 * 256 * 3];
        rng.NextBytes(p);
        var photo = new RgbImage(256, 256, p);
        var g = ImageNetPreprocessor.Geometry(256, 256);
        var mask = Enumerable.Range(0, 224 * 224).Select(i => (float)((i * 7919) % 1000) / 999f).ToArray();
        var got = CamOverlay.OnOriginal(photo, mask, 224, 224, g);

        // the same normalisation over inside (blend) and outside (w·img)
        var o = new float[p.Length];
        for (int y = 0; y < 256; y++)
            for (int x = 0; x < 256; x++)
            {
                int i = y * 256 + x;
                bool inside = x >= 16 && x < 240 && y >= 16 && y < 240;
                var (r, gg, b) = inside ? JetColormap.Color((byte)(255f * mask[(y - 16) * 224 + x - 16])) : ((byte)0, (byte)0, (byte)0);
                float[] heat = [r / 255f, gg / 255f, b / 255f];
                for (int c = 0; c < 3; c++) o[i * 3 + c] = inside ? 0.5f * heat[c] + 0.5f * (p[i * 3 + c] / 255f) : 0.5f * (p[i * 3 + c] / 255f);
            }
        float max = o.Max();
        Assert.Equal(o.Select(v => (byte)(255f * (v / max))).ToArray(), got.Pixels);
    }

    [Fact]
    public void MapIsResampledBilinearlyOverTheCropRectangle()
    {
        // 512×512 → resized 256 (scale 2), crop at 16: original pixel x has input coordinate (x + 0.5)/2 − 16, so a
        // ramp m(u) = u/223 over the crop reads ((x + 0.5)/2 − 16.5)/223 clamped to the border inside the crop
        var g = ImageNetPreprocessor.Geometry(512, 512);
        var ramp = new float[224 * 224];
        for (int y = 0; y < 224; y++)
            for (int x = 0; x < 224; x++) ramp[y * 224 + x] = x / 223f;
        var m = CamOverlay.MapToOriginal(ramp, 224, 224, g);
        for (int x = 0; x < 512; x++)
        {
            double u = (x + 0.5) / 2 - 16;
            float v = m[100 * 512 + x];
            if (u < 0 || u >= 224) Assert.True(float.IsNaN(v), $"x = {x} lies outside the crop");
            else Assert.True(Math.Abs(Math.Clamp(u - 0.5, 0, 223) / 223 - v) < 1e-6, $"x = {x}: {v}");
        }
    }
}
