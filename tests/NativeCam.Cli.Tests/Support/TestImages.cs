using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NativeCam.Cli.Tests.Support;

/// <summary>Small generated images and hand-made bad files.</summary>
public static class TestImages
{
    /// <summary>Writes a random-noise PNG of the given size.</summary>
    public static void NoisePng(string path, int width, int height, int seed)
    {
        var rng = new Random(seed);
        var p = new byte[width * height * 3];
        rng.NextBytes(p);
        using var img = Image.LoadPixelData<Rgb24>(p, width, height);
        img.SaveAsPng(path);
    }
}
