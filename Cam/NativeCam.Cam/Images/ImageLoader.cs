using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace NativeCam.Cam.Images;

/// <summary>
/// A hardened image decoder: only PNG, JPEG and BMP are registered; the size is read from the header first and
/// anything above <see cref="ImageLimits"/> is refused before decoding; incomplete pixel data is refused unless
/// <see cref="AllowTruncated"/>; the decoder's memory pool has an allocation cap; every decoder failure, whatever
/// its exception type, becomes an <see cref="ImageLoadException"/> naming the file. Decoded images have the EXIF
/// orientation applied and are expanded to 8-bit RGB (greyscale, palette, 16-bit and alpha images included; alpha
/// is dropped). Files reached through symbolic links are read (and measured) at their target.
/// </summary>
/// <remarks>An instance holds no per-image state: one loader may be shared by threads.</remarks>
public sealed class ImageLoader
{
    private readonly Configuration _config;

    /// <summary>A loader with the given limits (default <see cref="ImageLimits"/>).</summary>
    public ImageLoader(ImageLimits? limits = null)
    {
        Limits = limits ?? new ImageLimits();
        _config = new Configuration(new PngConfigurationModule(), new JpegConfigurationModule(), new BmpConfigurationModule())
        {
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions
            {
                AllocationLimitMegabytes = Limits.MaxAllocationMegabytes,
                MaximumPoolSizeMegabytes = 32, // large images are not kept in a pool after decoding
            }),
            ReadOrigin = ReadOrigin.Begin,
        };
    }

    /// <summary>The limits in force.</summary>
    public ImageLimits Limits { get; }

    /// <summary>
    /// Decode PNG and JPEG files whose pixel data stops early, and BMP files whose pixel array is cut, as far as
    /// the data goes (the decoder fills the rest). Off by default, as in Pillow: such files are refused.
    /// </summary>
    public bool AllowTruncated { get; init; }

    /// <summary>Decodes a file to RGB at full resolution.</summary>
    /// <exception cref="ImageLoadException">Missing, unreadable, unsupported, too large, truncated or corrupt; the message names the file.</exception>
    public RgbImage Load(string path) => Decode(ReadFile(path), path);

    /// <summary>Decodes image bytes to RGB; <paramref name="name"/> is used in messages.</summary>
    /// <exception cref="ImageLoadException">Unsupported, too large, truncated or corrupt.</exception>
    public RgbImage Decode(byte[] bytes, string name) => DecodeWith(bytes, name, CopyPixels);

    /// <summary>
    /// Decodes a file straight to a model's input: the decoder's rows are resized as they are read (the bytes of
    /// <see cref="ImageNetPreprocessor.ResizeAndCrop"/>), and only a display copy of at most
    /// <see cref="ImageLimits.MaxDisplayPixels"/> is kept, so memory stays bounded for very large photos.
    /// </summary>
    /// <exception cref="ImageLoadException">As <see cref="Load"/>.</exception>
    public ModelImage LoadForModel(string path, int cropHeight = 224, int cropWidth = 224) =>
        DecodeForModel(ReadFile(path), path, cropHeight, cropWidth);

    /// <summary>As <see cref="LoadForModel"/>, for image bytes.</summary>
    public ModelImage DecodeForModel(byte[] bytes, string name, int cropHeight = 224, int cropWidth = 224) =>
        DecodeWith(bytes, name, image => Reduce(image, cropHeight, cropWidth));

    private byte[] ReadFile(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (Directory.Exists(path)) throw new ImageLoadException(path, "is a directory, not an image");
            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is not FileInfo { Exists: true } file)
                    throw new ImageLoadException(path, $"is a symbolic link to '{target?.FullName}', which is not an existing file");
                info = file;
            }
            if (!info.Exists) throw new ImageLoadException(path, "no such file");
            if (info.Length > Limits.MaxFileBytes)
                throw new ImageLoadException(path, $"file of {info.Length} bytes exceeds the limit of {Limits.MaxFileBytes} bytes");
            return File.ReadAllBytes(info.FullName);
        }
        catch (ImageLoadException) { throw; }
        catch (Exception e)
        {
            throw new ImageLoadException(path, "cannot be read: " + e.Message, e);
        }
    }

    private T DecodeWith<T>(byte[] bytes, string name, Func<Image<Rgb24>, T> use)
    {
        var sniffed = ImageSignatures.Sniff(bytes);
        if (sniffed is not ("PNG" or "JPEG" or "BMP"))
            throw new ImageLoadException(name, $"unsupported image format ({sniffed}); supported: PNG, JPEG, BMP");
        if (ImageIntegrity.CheckHeader(sniffed, bytes) is { } bad) throw new ImageLoadException(name, $"{sniffed} image {bad}");
        Image<Rgb24> image;
        try
        {
            var info = Image.Identify(_config, bytes, out _)
                ?? throw new ImageLoadException(name, $"unsupported image format ({sniffed} header not recognised)");
            CheckSize(name, info.Width, info.Height);
            if (ImageIntegrity.Check(sniffed, bytes) is { } why)
            {
                if (!AllowTruncated)
                    throw new ImageLoadException(name, $"{sniffed} image {why}; the partial image is refused (allow truncated images to decode it anyway)");
                // the decoder gets whole data (it can loop forever on interlaced PNG data that stops early)
                if (sniffed == "PNG") bytes = ImageIntegrity.CompletePng(bytes);
            }
            image = Image.Load<Rgb24>(_config, bytes);
        }
        catch (Exception e) { throw Wrap(e, name, sniffed); }
        using (image)
        {
            try
            {
                CheckSize(name, image.Width, image.Height);
                image.Mutate(x => x.AutoOrient());
            }
            catch (Exception e) { throw Wrap(e, name, sniffed); }
            return use(image);
        }
    }

    /// <summary>Any failure inside the decoder as an <see cref="ImageLoadException"/>.</summary>
    private static ImageLoadException Wrap(Exception e, string name, string format) => e switch
    {
        ImageLoadException l => l,
        InvalidMemoryOperationException => new(name, "decoding needs more memory than the decoder's limit: " + e.Message, e),
        OutOfMemoryException => new(name, $"decoding the {format} image needs more memory than is available", e),
        ImageFormatException or NotSupportedException or ArgumentException or InvalidOperationException or IndexOutOfRangeException
            or EndOfStreamException or IOException => new(name, $"corrupt or unreadable {format} image: {e.Message}", e),
        _ => new(name, $"corrupt or unreadable {format} image: the decoder failed ({e.GetType().Name}: {e.Message})", e),
    };

    private static RgbImage CopyPixels(Image<Rgb24> image)
    {
        var pixels = new byte[(long)image.Width * image.Height * 3];
        image.CopyPixelDataTo(pixels);
        return new RgbImage(image.Width, image.Height, pixels);
    }

    private ModelImage Reduce(Image<Rgb24> image, int cropHeight, int cropWidth)
    {
        int w = image.Width, h = image.Height;
        var g = ImageNetPreprocessor.Geometry(w, h, cropHeight, cropWidth);
        AntialiasedBilinear.RowReader rows = y => MemoryMarshal.AsBytes(image.DangerousGetPixelRowMemory(y).Span);
        var crop = ImageNetPreprocessor.Crop(AntialiasedBilinear.Resize(rows, w, h, g.ResizedWidth, g.ResizedHeight), g);
        if ((long)w * h <= Limits.MaxDisplayPixels) return new ModelImage(w, h, crop, g, CopyPixels(image), g);
        double s = Math.Sqrt((double)Limits.MaxDisplayPixels / ((long)w * h));
        int dw = Math.Max(1, (int)(w * s)), dh = Math.Max(1, (int)(h * s));
        var display = AntialiasedBilinear.Resize(rows, w, h, dw, dh);
        return new ModelImage(w, h, crop, g, display, g with { OriginalWidth = dw, OriginalHeight = dh });
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
