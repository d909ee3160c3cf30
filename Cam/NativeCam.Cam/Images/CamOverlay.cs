namespace NativeCam.Cam.Images;

/// <summary>
/// The reference overlay (shapleycam.md §4 step 5): heat = JET(uint8(255·mask)) in RGB /255,
/// out = (1 − w)·heat + w·img with img in [0, 1], out /= max(out), uint8(255·out) — all in float32 with
/// truncating conversions, as NumPy does.
/// </summary>
/// <remarks>
/// <see cref="OnOriginal"/> draws on the original photo with the resize and crop undone: each original pixel centre
/// is mapped into model-input coordinates and the map is sampled there bilinearly (half-pixel centres, border
/// replicated — OpenCV's INTER_LINEAR resize of the map to the crop rectangle). Pixels outside the crop, which the
/// model never saw, get no heat: they are shown as w·img under the same normalisation, i.e. the photo dimmed by the
/// image weight, so the explained region stands out and the frame of the crop is visible.
/// </remarks>
public static class CamOverlay
{
    /// <summary>Blends a map of the image's own size (e.g. the 224×224 model input) onto it.</summary>
    /// <param name="image">The image, <paramref name="mask"/>'s size.</param>
    /// <param name="mask">Row-major values in [0, 1]; NaN marks pixels without heat (drawn as w·img).</param>
    /// <param name="imageWeight">w in [0, 1].</param>
    public static RgbImage Blend(RgbImage image, float[] mask, double imageWeight = 0.5)
    {
        if (mask.Length != image.Width * image.Height)
            throw new ArgumentException($"mask of {mask.Length} values for a {image.Width}×{image.Height} image");
        if (!(imageWeight >= 0 && imageWeight <= 1)) throw new ArgumentOutOfRangeException(nameof(imageWeight), imageWeight, "image weight must be in [0, 1]");
        float w = (float)imageWeight, hw = 1f - w;
        var blended = new float[mask.Length * 3];
        var p = image.Pixels;
        float max = 0;
        for (int i = 0; i < mask.Length; i++)
        {
            bool heat = !float.IsNaN(mask[i]);
            var (r, g, b) = heat ? JetColormap.Color(ToByte(mask[i])) : ((byte)0, (byte)0, (byte)0);
            Span<float> rgb = [r / 255f, g / 255f, b / 255f];
            for (int c = 0; c < 3; c++)
            {
                float img = p[i * 3 + c] / 255f;
                float v = heat ? hw * rgb[c] + w * img : w * img;
                blended[i * 3 + c] = v;
                if (v > max) max = v;
            }
        }
        var result = new byte[blended.Length];
        if (max > 0)
            for (int i = 0; i < blended.Length; i++) result[i] = ToByte(blended[i] / max);
        return new RgbImage(image.Width, image.Height, result);
    }

    /// <summary>Draws a model-input map on the original photo, with the crop undone (see remarks).</summary>
    /// <param name="original">The photo as decoded (the preprocessing's input).</param>
    /// <param name="mask">[maskHeight·maskWidth] in [0, 1], at model-input resolution.</param>
    /// <param name="geometry">The preprocessing's resize and crop.</param>
    public static RgbImage OnOriginal(RgbImage original, float[] mask, int maskHeight, int maskWidth, CropGeometry geometry,
        double imageWeight = 0.5)
    {
        if (original.Width != geometry.OriginalWidth || original.Height != geometry.OriginalHeight)
            throw new ArgumentException("the geometry is not that of this image");
        if (maskHeight != geometry.CropHeight || maskWidth != geometry.CropWidth || mask.Length != maskHeight * maskWidth)
            throw new ArgumentException($"a {maskWidth}×{maskHeight} map for a {geometry.CropWidth}×{geometry.CropHeight} crop");
        return Blend(original, MapToOriginal(mask, maskHeight, maskWidth, geometry), imageWeight);
    }

    /// <summary>The map resampled at every original pixel; NaN outside the crop.</summary>
    public static float[] MapToOriginal(float[] mask, int maskHeight, int maskWidth, CropGeometry geometry)
    {
        int w = geometry.OriginalWidth, h = geometry.OriginalHeight;
        var result = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                var (u, v) = geometry.ToInput(x, y);
                result[y * w + x] = u < 0 || v < 0 || u >= maskWidth || v >= maskHeight
                    ? float.NaN
                    : (float)Sample(mask, maskHeight, maskWidth, u - 0.5, v - 0.5);
            }
        return result;
    }

    /// <summary>Bilinear sample at continuous pixel position (sx, sy), pixel centres at integers, border replicated.</summary>
    public static double Sample(float[] plane, int height, int width, double sx, double sy)
    {
        sx = Math.Clamp(sx, 0, width - 1);
        sy = Math.Clamp(sy, 0, height - 1);
        int x0 = (int)sx, y0 = (int)sy;
        int x1 = Math.Min(x0 + 1, width - 1), y1 = Math.Min(y0 + 1, height - 1);
        double fx = sx - x0, fy = sy - y0;
        double top = plane[y0 * width + x0] * (1 - fx) + plane[y0 * width + x1] * fx;
        double bottom = plane[y1 * width + x0] * (1 - fx) + plane[y1 * width + x1] * fx;
        return top * (1 - fy) + bottom * fy;
    }

    /// <summary>NumPy's uint8(255·v) for v in [0, 1] (float32 product, truncated).</summary>
    public static byte ToByte(float v)
    {
        float s = 255f * v;
        return s <= 0 || float.IsNaN(s) ? (byte)0 : s >= 255 ? (byte)255 : (byte)s;
    }
}
