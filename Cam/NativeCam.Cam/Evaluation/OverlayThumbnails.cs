using NativeCam.Cam.Images;

namespace NativeCam.Cam.Evaluation;

/// <summary>Small JET overlays for the evaluation report: the map blended on the model's input crop, then shrunk.</summary>
public static class OverlayThumbnails
{
    /// <summary>The PNG of a <paramref name="size"/>×<paramref name="size"/>-bounded overlay of <paramref name="map"/> on the crop.</summary>
    /// <param name="original">The photo as decoded.</param>
    /// <param name="map">The final map at model-input resolution (<paramref name="height"/>×<paramref name="width"/>).</param>
    /// <param name="size">The longer side of the thumbnail.</param>
    public static byte[] Png(RgbImage original, float[] map, int height, int width, int size = 160, double imageWeight = 0.5)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var (crop, _) = ImageNetPreprocessor.ResizeAndCrop(original, height, width);
        var overlay = CamOverlay.Blend(crop, map, imageWeight);
        double scale = (double)size / Math.Max(width, height);
        int tw = Math.Max(1, (int)Math.Round(width * scale)), th = Math.Max(1, (int)Math.Round(height * scale));
        return ImageWriter.EncodePng(AntialiasedBilinear.Resize(overlay, tw, th));
    }
}
