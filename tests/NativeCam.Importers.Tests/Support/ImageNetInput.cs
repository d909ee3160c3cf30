using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace NativeCam.Importers.Tests.Support;

/// <summary>ImageNet photos for classifier tests: files of ../shared, and the torchvision preprocessing.</summary>
public static class ImageNetInput
{
    /// <summary>Per-channel mean (RGB) of the torchvision normalisation.</summary>
    public static readonly float[] Mean = [0.485f, 0.456f, 0.406f];

    /// <summary>Per-channel standard deviation (RGB).</summary>
    public static readonly float[] Std = [0.229f, 0.224f, 0.225f];

    /// <summary>
    /// A path under the project's shared/ folder (../shared from the repository root), found by walking up from the
    /// test binaries so that it works from any checkout or worktree next to it.
    /// </summary>
    public static string Shared(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", relative);
            if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"shared/{relative} was not found above {AppContext.BaseDirectory}");
    }

    /// <summary>
    /// The images of shared/images/imagenet-dev (NNN_wnid_name.JPEG) with their class index NNN, in name order.
    /// </summary>
    public static (string Path, int Label)[] DevSet() =>
        Directory.GetFiles(Shared("images/imagenet-dev"), "*.JPEG")
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
