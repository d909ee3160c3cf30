namespace NativeCam.Cam.Images;

/// <summary>
/// An image loaded for a model: the model-input crop (Pillow-exact preprocessing), and a display copy for overlays —
/// the photo itself, or for photos above <see cref="ImageLimits.MaxDisplayPixels"/> a reduced copy of it.
/// </summary>
/// <param name="Width">The photo's width (orientation applied).</param>
/// <param name="Height">The photo's height.</param>
/// <param name="Crop">The resized and centre-cropped 8-bit model input.</param>
/// <param name="Geometry">The resize and crop in the photo's coordinates.</param>
/// <param name="Display">The photo, or its reduced copy.</param>
/// <param name="DisplayGeometry">The same resize and crop in <paramref name="Display"/>'s coordinates.</param>
public sealed record ModelImage(int Width, int Height, RgbImage Crop, CropGeometry Geometry, RgbImage Display, CropGeometry DisplayGeometry);
