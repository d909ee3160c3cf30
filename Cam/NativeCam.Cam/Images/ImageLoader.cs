using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace NativeCam.Cam.Images;

/// <summary>
/// A hardened image decoder: only PNG, JPEG and BMP are registered; the size is read from the header first and
/// anything above <see cref="ImageLimits"/> is refused before decoding; the decoder's memory pool has an allocation
/// cap. Decoded images have the EXIF orientation applied and are expanded to 8-bit RGB (greyscale, palette and
/// alpha images included; alpha is dropped).
/// </summary>
public sealed class ImageLoader
{
    private readonly Configuration _config;

    /// <summary>A loader with the given limits (default <see cref="ImageLimits"/>).</summary>
    public ImageLoader(ImageLimits? limits = null)
    {
        Limits = limits ?? new ImageLimits();
        _config = new Configuration(new PngConfigurationModule(), new JpegConfigurationModule(), new BmpConfigurationModule())
        {
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { AllocationLimitMegabytes = Limits.MaxAllocationMegabytes }),
            ReadOrigin = ReadOrigin.Begin,
        };
    }

    /// <summary>The limits in force.</summary>
    public ImageLimits Limits { get; }

    /// <summary>Decodes a file to RGB.</summary>
    /// <exception cref="ImageLoadException">Missing, unreadable, unsupported, too large or corrupt; the message names the file.</exception>
    public RgbImage Load(string path)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new ImageLoadException(path, Directory.Exists(path) ? "is a directory, not an image" : "no such file");
            if (info.Length > Limits.MaxFileBytes)
                throw new ImageLoadException(path, $"file of {info.Length} bytes exceeds the limit of {Limits.MaxFileBytes} bytes");
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageLoadException(path, "cannot be read: " + e.Message, e);
        }
        return Decode(bytes, path);
    }

    /// <summary>Decodes image bytes to RGB; <paramref name="name"/> is used in messages.</summary>
    /// <exception cref="ImageLoadException">Unsupported, too large or corrupt.</exception>
    public RgbImage Decode(byte[] bytes, string name)
    {
        var sniffed = ImageSignatures.Sniff(bytes);
        if (sniffed is not ("PNG" or "JPEG" or "BMP"))
            throw new ImageLoadException(name, $"unsupported image format ({sniffed}); supported: PNG, JPEG, BMP");
        try
        {
            var info = Image.Identify(_config, bytes, out _)
                ?? throw new ImageLoadException(name, $"unsupported image format ({sniffed} header not recognised)");
            CheckSize(name, info.Width, info.Height);
            using var image = Image.Load<Rgb24>(_config, bytes);
            CheckSize(name, image.Width, image.Height);
            image.Mutate(x => x.AutoOrient());
            var pixels = new byte[image.Width * image.Height * 3];
            image.CopyPixelDataTo(pixels);
            return new RgbImage(image.Width, image.Height, pixels);
        }
        catch (ImageLoadException) { throw; }
        catch (InvalidMemoryOperationException e)
        {
            throw new ImageLoadException(name, "decoding needs more memory than the decoder's limit: " + e.Message, e);
        }
        catch (Exception e) when (e is ImageFormatException or NotSupportedException or ArgumentException or InvalidOperationException
                                      or IndexOutOfRangeException or EndOfStreamException or IOException)
        {
            throw new ImageLoadException(name, $"corrupt or unreadable {sniffed} image: {e.Message}", e);
        }
    }

    private void CheckSize(string name, int width, int height)
    {
        long pixels = (long)width * height;
        if (width <= 0 || height <= 0) throw new ImageLoadException(name, $"invalid image size {width}×{height}");
        if (pixels > Limits.MaxPixels || width > Limits.MaxSide || height > Limits.MaxSide)
            throw new ImageLoadException(name,
                $"image of {width}×{height} pixels ({pixels / 1e6:0.#} megapixels) exceeds the limit of {Limits.MaxPixels / 1e6:0.#} megapixels or {Limits.MaxSide} pixels a side; refused before decoding");
    }
}
