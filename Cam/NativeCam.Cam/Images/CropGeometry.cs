namespace NativeCam.Cam.Images;

/// <summary>
/// Where the model input came from: the original was resized to <see cref="ResizedWidth"/>×<see cref="ResizedHeight"/>
/// and a <see cref="CropWidth"/>×<see cref="CropHeight"/> window at (<see cref="CropLeft"/>, <see cref="CropTop"/>)
/// of the resized image was taken.
/// </summary>
public sealed record CropGeometry(int OriginalWidth, int OriginalHeight, int ResizedWidth, int ResizedHeight,
    int CropLeft, int CropTop, int CropWidth, int CropHeight)
{
    /// <summary>Original pixels per resized pixel, horizontally.</summary>
    public double ScaleX => (double)OriginalWidth / ResizedWidth;

    /// <summary>Original pixels per resized pixel, vertically.</summary>
    public double ScaleY => (double)OriginalHeight / ResizedHeight;

    /// <summary>The crop window in original-image coordinates (continuous: left, top, width, height).</summary>
    public (double Left, double Top, double Width, double Height) CropInOriginal =>
        (CropLeft * ScaleX, CropTop * ScaleY, CropWidth * ScaleX, CropHeight * ScaleY);

    /// <summary>
    /// The model-input position (continuous, pixel centres at i + 0.5) of the original pixel centre (x + 0.5, y + 0.5).
    /// </summary>
    public (double U, double V) ToInput(int x, int y) => ((x + 0.5) / ScaleX - CropLeft, (y + 0.5) / ScaleY - CropTop);
}
