using NativeCam.Cam;
using NativeCam.Importers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace NativeCam.Fuzz.Fuzzing;

/// <summary>A seed input: its name, kind, bytes and structure.</summary>
public sealed record Seed(string Name, InputKind Kind, byte[] Bytes)
{
    /// <summary>Where the mutator finds length and dimension fields.</summary>
    public StructureMap Map { get; } = StructureMap.Of(Bytes, Kind);
}

/// <summary>The seed corpus: small generated PNG/JPEG/BMP images of every colour layout, and ONNX models.</summary>
public static class Seeds
{
    /// <summary>Images made in memory: PNG (RGB, grey, palette, 16-bit RGBA, interlaced), JPEG (4:2:0, 4:4:4, grey), BMP (24, 32, 8-bit).</summary>
    public static IReadOnlyList<Seed> Images()
    {
        using var photo = Pattern(37, 29);
        var list = new List<Seed>
        {
            Png("rgb.png", photo, new PngEncoder { ColorType = PngColorType.Rgb }),
            Png("grey.png", photo, new PngEncoder { ColorType = PngColorType.Grayscale }),
            Png("palette.png", photo, new PngEncoder { ColorType = PngColorType.Palette }),
            Png("rgba16.png", photo, new PngEncoder { ColorType = PngColorType.RgbWithAlpha, BitDepth = PngBitDepth.Bit16 }),
            Png("interlaced.png", photo, new PngEncoder { ColorType = PngColorType.Rgb, InterlaceMethod = PngInterlaceMode.Adam7 }),
            Encoded("420.jpg", InputKind.Jpeg, photo, new JpegEncoder { Quality = 80, ColorType = JpegColorType.YCbCrRatio420 }),
            Encoded("444.jpg", InputKind.Jpeg, photo, new JpegEncoder { Quality = 90, ColorType = JpegColorType.YCbCrRatio444 }),
            Encoded("grey.jpg", InputKind.Jpeg, photo, new JpegEncoder { Quality = 70, ColorType = JpegColorType.Luminance }),
            Encoded("24.bmp", InputKind.Bmp, photo, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 }),
            Encoded("32.bmp", InputKind.Bmp, photo, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel32 }),
            Encoded("8.bmp", InputKind.Bmp, photo, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel8 }),
        };
        return list;
    }

    /// <summary>
    /// The fixture models of tests/fixtures/models (found by walking up from <paramref name="start"/>), the smallest
    /// first, and the embedded MobileNetV2 when <paramref name="embedded"/>.
    /// </summary>
    public static IReadOnlyList<Seed> Models(string start, int maxFixtures = 3, bool embedded = true)
    {
        var list = new List<Seed>();
        var folder = FixtureModels(start);
        if (folder is not null)
            list.AddRange(Directory.GetFiles(folder, "*.onnx").Select(f => new FileInfo(f)).OrderBy(f => f.Length).Take(maxFixtures)
                .Select(f => new Seed(f.Name, InputKind.Onnx, File.ReadAllBytes(f.FullName))));
        if (embedded) list.Add(new Seed(DefaultModel.Name, InputKind.Onnx, DefaultModel.Bytes()));
        return list;
    }

    /// <summary>tests/fixtures/models above <paramref name="start"/>, or null.</summary>
    public static string? FixtureModels(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "models");
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>A smooth colour pattern with edges (compresses like a photo, exercises every channel).</summary>
    public static Image<Rgb24> Pattern(int width, int height)
    {
        var image = new Image<Rgb24>(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                image[x, y] = new Rgb24((byte)(255 * x / width), (byte)(255 * y / height), (byte)((x * 7 + y * 13) % 256 > 128 ? 200 : 30));
        return image;
    }

    private static Seed Png(string name, Image<Rgb24> image, PngEncoder encoder) => Encoded(name, InputKind.Png, image, encoder);

    private static Seed Encoded(string name, InputKind kind, Image<Rgb24> image, SixLabors.ImageSharp.Formats.IImageEncoder encoder)
    {
        using var ms = new MemoryStream();
        image.Save(ms, encoder);
        return new Seed(name, kind, ms.ToArray());
    }
}
