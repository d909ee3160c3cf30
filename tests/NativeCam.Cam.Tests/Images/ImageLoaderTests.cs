using NativeCam.Cam.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace NativeCam.Cam.Tests.Images;

public class ImageLoaderTests
{
    private static readonly ImageLoader Loader = new();

    private static byte[] Encode<T>(Image<T> image, SixLabors.ImageSharp.Formats.IImageEncoder encoder) where T : unmanaged, IPixel<T>
    {
        using var ms = new MemoryStream();
        image.Save(ms, encoder);
        return ms.ToArray();
    }

    [Fact]
    public void HugeDimensionsAreRefusedFromTheHeaderNamingTheFile()
    {
        var bytes = CraftedImages.PngHeader(12000, 12000);
        var e = Assert.Throws<ImageLoadException>(() => Loader.Decode(bytes, "huge.png"));
        Assert.Contains("huge.png", e.Message);
        Assert.Contains("12000×12000", e.Message);
        Assert.Contains("exceeds", e.Message);
    }

    [Theory]
    [InlineData("GIF")]
    [InlineData("WebP")]
    public void GifAndWebPAreUnsupported(string kind)
    {
        var bytes = kind == "GIF" ? CraftedImages.Gif() : CraftedImages.WebP();
        var e = Assert.Throws<ImageLoadException>(() => Loader.Decode(bytes, "x." + kind.ToLowerInvariant()));
        Assert.Contains($"unsupported image format ({kind})", e.Message);
        Assert.StartsWith("x.", e.Message);
    }

    [Fact]
    public void UnknownBytesAndCorruptPngAreClearErrors()
    {
        Assert.Contains("unsupported image format (unknown)", Assert.Throws<ImageLoadException>(() => Loader.Decode("hello"u8.ToArray(), "t.png")).Message);
        Assert.Contains("empty file", Assert.Throws<ImageLoadException>(() => Loader.Decode([], "e.png")).Message);
        var e = Assert.Throws<ImageLoadException>(() => Loader.Decode(CraftedImages.CorruptPng(1), "c.png"));
        Assert.StartsWith("c.png: ", e.Message);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        var e = Assert.Throws<ImageLoadException>(() => Loader.Load("/nonexistent/dir/a.png"));
        Assert.Contains("/nonexistent/dir/a.png", e.Message);
        Assert.Contains("no such file", e.Message);
    }

    [Fact]
    public void GreyscaleAndPaletteAreExpandedToRgb()
    {
        using var grey = new Image<L8>(5, 3);
        for (int y = 0; y < 3; y++) for (int x = 0; x < 5; x++) grey[x, y] = new L8((byte)(x * 40 + y));
        var g = Loader.Decode(Encode(grey, new PngEncoder { ColorType = PngColorType.Grayscale }), "g.png");
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 5; x++)
                for (int c = 0; c < 3; c++) Assert.Equal(x * 40 + y, g[x, y, c]);

        using var rgb = new Image<Rgb24>(4, 2);
        rgb[1, 1] = new Rgb24(200, 10, 60);
        var p = Loader.Decode(Encode(rgb, new PngEncoder { ColorType = PngColorType.Palette }), "p.png");
        Assert.Equal((200, 10, 60), ((int)p[1, 1, 0], (int)p[1, 1, 1], (int)p[1, 1, 2]));
        Assert.Equal((0, 0, 0), ((int)p[0, 0, 0], (int)p[0, 0, 1], (int)p[0, 0, 2]));
    }

    [Fact]
    public void ExifOrientationIsApplied()
    {
        // a 6×2 image, left half white; orientation 6 = rotate 90° clockwise to display → 2×6, top half white
        using var img = new Image<Rgb24>(6, 2);
        for (int y = 0; y < 2; y++) for (int x = 0; x < 3; x++) img[x, y] = new Rgb24(255, 255, 255);
        img.Metadata.ExifProfile = new ExifProfile();
        img.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        var bytes = Encode(img, new JpegEncoder { Quality = 100 });
        var loaded = Loader.Decode(bytes, "o.jpg");
        Assert.Equal((2, 6), (loaded.Width, loaded.Height));
        Assert.True(loaded[0, 0, 0] > 200 && loaded[1, 1, 0] > 200, "top rows should be white");
        Assert.True(loaded[0, 5, 0] < 50 && loaded[1, 4, 0] < 50, "bottom rows should be black");
    }

    [Fact]
    public void BmpLoads()
    {
        using var img = new Image<Rgb24>(3, 3);
        img[2, 0] = new Rgb24(1, 2, 3);
        var loaded = Loader.Decode(Encode(img, new SixLabors.ImageSharp.Formats.Bmp.BmpEncoder()), "b.bmp");
        Assert.Equal((1, 2, 3), ((int)loaded[2, 0, 0], (int)loaded[2, 0, 1], (int)loaded[2, 0, 2]));
    }
}
