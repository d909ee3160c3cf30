namespace NativeCam.Cam.Images;

/// <summary>
/// torchvision's ImageNet evaluation transform: resize the shorter side to 256 (Pillow's antialiased bilinear, the
/// longer side truncated as torchvision does), centre-crop 224 (offsets rounded half to even as Python's round),
/// scale to [0, 1], normalise with the ImageNet mean and std, NCHW float32. For other input sizes the resize target
/// scales with the crop (256/224 of its larger side).
/// </summary>
public static class ImageNetPreprocessor
{
    /// <summary>The ImageNet per-channel mean (R, G, B).</summary>
    public static readonly float[] Mean = [0.485f, 0.456f, 0.406f];

    /// <summary>The ImageNet per-channel standard deviation (R, G, B).</summary>
    public static readonly float[] Std = [0.229f, 0.224f, 0.225f];

    /// <summary>The resize target for a crop: 256 for 224, proportionally otherwise.</summary>
    public static int ResizeFor(int cropHeight, int cropWidth) =>
        cropHeight == 224 && cropWidth == 224 ? 256 : (int)Math.Round(Math.Max(cropHeight, cropWidth) * 256.0 / 224.0);

    /// <summary>The geometry of resize + centre crop for an image of the given size.</summary>
    public static CropGeometry Geometry(int width, int height, int cropHeight = 224, int cropWidth = 224, int? resize = null)
    {
        int r = resize ?? ResizeFor(cropHeight, cropWidth);
        int rw, rh;
        if (width <= height) { rw = r; rh = (int)((long)r * height / width); }
        else { rh = r; rw = (int)((long)r * width / height); }
        if (rw < cropWidth || rh < cropHeight)
            throw new ArgumentException($"resized image {rw}×{rh} is smaller than the crop {cropWidth}×{cropHeight}");
        int left = (int)Math.Round((rw - cropWidth) / 2.0, MidpointRounding.ToEven);
        int top = (int)Math.Round((rh - cropHeight) / 2.0, MidpointRounding.ToEven);
        return new CropGeometry(width, height, rw, rh, left, top, cropWidth, cropHeight);
    }

    /// <summary>Resizes and crops to the model input (8-bit), returning the geometry used.</summary>
    public static (RgbImage Crop, CropGeometry Geometry) ResizeAndCrop(RgbImage image, int cropHeight = 224, int cropWidth = 224)
    {
        var g = Geometry(image.Width, image.Height, cropHeight, cropWidth);
        return (Crop(AntialiasedBilinear.Resize(image, g.ResizedWidth, g.ResizedHeight), g), g);
    }

    /// <summary>The crop window of an image already resized to the geometry's resized size.</summary>
    public static RgbImage Crop(RgbImage resized, CropGeometry g)
    {
        if (resized.Width != g.ResizedWidth || resized.Height != g.ResizedHeight)
            throw new ArgumentException($"a {resized.Width}×{resized.Height} image for a {g.ResizedWidth}×{g.ResizedHeight} resize");
        var crop = new byte[g.CropWidth * g.CropHeight * 3];
        for (int y = 0; y < g.CropHeight; y++)
            Array.Copy(resized.Pixels, ((g.CropTop + y) * resized.Width + g.CropLeft) * 3, crop, y * g.CropWidth * 3, g.CropWidth * 3);
        return new RgbImage(g.CropWidth, g.CropHeight, crop);
    }

    /// <summary>The normalised CHW planes of an 8-bit image: (v/255 − mean)/std per channel.</summary>
    public static float[] Normalize(RgbImage image)
    {
        int plane = image.Width * image.Height;
        var chw = new float[3 * plane];
        var p = image.Pixels;
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < plane; i++)
                chw[c * plane + i] = (p[i * 3 + c] / 255f - Mean[c]) / Std[c];
        return chw;
    }

    /// <summary>The full transform of one image: CHW float32 [3, cropHeight, cropWidth] and the crop geometry.</summary>
    public static (float[] Chw, CropGeometry Geometry) Preprocess(RgbImage image, int cropHeight = 224, int cropWidth = 224)
    {
        var (crop, g) = ResizeAndCrop(image, cropHeight, cropWidth);
        return (Normalize(crop), g);
    }
}
