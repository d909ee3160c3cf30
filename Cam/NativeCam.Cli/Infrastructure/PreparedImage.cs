using NativeCam.Cam.Images;
using NativeCam.Engine;

namespace NativeCam.Cli.Infrastructure;

/// <summary>An input image decoded and preprocessed for the model.</summary>
/// <param name="File">The file.</param>
/// <param name="Original">The decoded photo (orientation applied).</param>
/// <param name="Geometry">The resize and crop that produced the model input.</param>
/// <param name="Input">[1, 3, H, W] normalised.</param>
public sealed record PreparedImage(string File, RgbImage Original, CropGeometry Geometry, Tensor Input)
{
    private static readonly ImageLoader Loader = new();

    /// <summary>Decodes and preprocesses one file for a model.</summary>
    /// <exception cref="ImageLoadException">The image cannot be used.</exception>
    public static PreparedImage Load(string file, ModelSession session)
    {
        var image = Loader.Load(file);
        var (h, w) = session.InputSize;
        var (chw, geometry) = ImageNetPreprocessor.Preprocess(image, h, w);
        var input = Tensor.FromArray(chw, [1, 3, h, w], session.Model.Backend);
        return new PreparedImage(file, image, geometry, input);
    }

    /// <summary>The top-k (class, probability) pairs of a probability vector, most probable first.</summary>
    public static IReadOnlyList<(int Class, float Probability)> Top(float[] probabilities, int k) =>
        probabilities.Select((p, c) => (Class: c, Probability: p))
            .OrderByDescending(t => t.Probability).ThenBy(t => t.Class).Take(k).ToList();
}
