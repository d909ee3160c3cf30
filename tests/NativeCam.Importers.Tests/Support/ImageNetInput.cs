using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace NativeCam.Importers.Tests.Support;

/// <summary>ImageNet photos for classifier tests (a dataset outside the repository), and the torchvision preprocessing.</summary>
public static class ImageNetInput
{
    /// <summary>Per-channel mean (RGB) of the torchvision normalisation.</summary>
    public static readonly float[] Mean = [0.485f, 0.456f, 0.406f];

    /// <summary>Per-channel standard deviation (RGB).</summary>
    public static readonly float[] Std = [0.229f, 0.224f, 0.225f];

    /// <summary>
    /// The ImageNet dev photos (NNN_wnid_name.JPEG, NNN the class index) of the folder named by
    /// NATIVECAM_IMAGENET_DIR, with their class index, in name order. Only for <see cref="DatasetFactAttribute"/> tests.
    /// </summary>
    public static (string Path, int Label)[] DevSet() =>
        Directory.GetFiles(DatasetFactAttribute.Folder(DatasetFactAttribute.ImageNetDir), "*.JPEG")
            .Order(StringComparer.Ordinal)
            .Select(p => (p, int.Parse(Path.GetFileName(p).AsSpan(0, 3))))
            .ToArray();

    /// <summary>
    /// torchvision preprocessing: decode to RGB (greyscale is expanded), resize the shorter side to
    /// <paramref name="resize"/> (bilinear, antialiased when shrinking, as PIL does), centre-crop
    /// <paramref name="crop"/>², scale to [0, 1] and normalise with <see cref="Mean"/> and <see cref="Std"/>.
    /// </summary>
    /// <returns>3×crop×crop floats, channel-major (one image of an NCHW batch).</returns>
    public static float[] Preprocess(string path, int resize = 256, int crop = 224)
    {
        using var image = Image.Load<Rgb24>(path);
        int w = image.Width, h = image.Height;
        // torchvision: the longer side becomes int(resize · long / short)
        var (nw, nh) = w <= h ? (resize, (int)((long)resize * h / w)) : ((int)((long)resize * w / h), resize);
        image.Mutate(c => c.Resize(new ResizeOptions { Size = new Size(nw, nh), Sampler = KnownResamplers.Triangle, Mode = ResizeMode.Stretch }));
        int left = (int)Math.Round((nw - crop) / 2.0), top = (int)Math.Round((nh - crop) / 2.0);
        var data = new float[3 * crop * crop];
        int plane = crop * crop;
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < crop; y++)
            {
                var row = rows.GetRowSpan(top + y);
                for (int x = 0; x < crop; x++)
                {
                    var p = row[left + x];
                    int i = y * crop + x;
                    data[i] = (p.R / 255f - Mean[0]) / Std[0];
                    data[plane + i] = (p.G / 255f - Mean[1]) / Std[1];
                    data[2 * plane + i] = (p.B / 255f - Mean[2]) / Std[2];
                }
            }
        });
        return data;
    }
}
