using NativeCam.Cam.Images;
using NativeCam.Engine;

namespace NativeCam.Cli.Infrastructure;

/// <summary>An input image decoded and preprocessed for the model.</summary>
/// <param name="File">The file.</param>
/// <param name="Width">The photo's width (orientation applied).</param>
/// <param name="Height">The photo's height.</param>
/// <param name="Display">The photo for overlays: itself, or a reduced copy when it is very large (<see cref="ImageLimits.MaxDisplayPixels"/>).</param>
/// <param name="Geometry">The resize and crop that produced the model input, in <paramref name="Display"/>'s coordinates.</param>
/// <param name="Input">[1, 3, H, W] normalised.</param>
public sealed record PreparedImage(string File, int Width, int Height, RgbImage Display, CropGeometry Geometry, Tensor Input)
{
    private static readonly ImageLoader Loader = new();
    private static readonly ImageLoader TruncatedLoader = new() { AllowTruncated = true };

    /// <summary>Decodes and preprocesses one file for a model (memory bounded by the model input and the display copy).</summary>
    /// <param name="allowTruncated">Decode truncated PNG/JPEG/BMP data as far as it goes instead of refusing it.</param>
    /// <exception cref="ImageLoadException">The image cannot be used.</exception>
    public static PreparedImage Load(string file, ModelSession session, bool allowTruncated = false)
    {
        var (h, w) = session.InputSize;
        var image = (allowTruncated ? TruncatedLoader : Loader).LoadForModel(file, h, w);
        var input = Tensor.FromArray(ImageNetPreprocessor.Normalize(image.Crop), [1, 3, h, w], session.Model.Backend);
        return new PreparedImage(file, image.Width, image.Height, image.Display, image.DisplayGeometry, input);
    }

    /// <summary>The top-k (class, probability) pairs of a probability vector, most probable first.</summary>
    public static IReadOnlyList<(int Class, float Probability)> Top(float[] probabilities, int k) =>
        probabilities.Select((p, c) => (Class: c, Probability: p))
            .OrderByDescending(t => t.Probability).ThenBy(t => t.Class).Take(k).ToList();
}
