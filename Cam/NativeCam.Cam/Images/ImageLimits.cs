namespace NativeCam.Cam.Images;

/// <summary>Limits that protect the decoder against hostile or accidental huge files.</summary>
public sealed record ImageLimits
{
    /// <summary>Largest pixel count accepted (width·height); default 100 megapixels.</summary>
    public long MaxPixels { get; init; } = 100_000_000;

    /// <summary>Largest side accepted in pixels; default 30 000.</summary>
    public int MaxSide { get; init; } = 30_000;

    /// <summary>Largest file accepted in bytes; default 256 MiB.</summary>
    public long MaxFileBytes { get; init; } = 256L << 20;

    /// <summary>
    /// Largest display copy kept by <see cref="ImageLoader.LoadForModel"/> for overlays; larger photos are reduced
    /// (antialiased bilinear) to at most this many pixels. Default 4096² (16.8 megapixels).
    /// </summary>
    public long MaxDisplayPixels { get; init; } = 4096L * 4096;

    /// <summary>Cap on the decoder's total pool allocations in megabytes; default 1024.</summary>
    public int MaxAllocationMegabytes { get; init; } = 1024;
}
