namespace NativeCam.Cam.Images;

/// <summary>An image that cannot be used: unreadable, corrupt, of an unsupported format, or too large.</summary>
public sealed class ImageLoadException : Exception
{
    /// <summary>Creates the error for <paramref name="file"/>.</summary>
    public ImageLoadException(string file, string message, Exception? inner = null)
        : base($"{file}: {message}", inner) => File = file;

    /// <summary>The file concerned.</summary>
    public string File { get; }
}
