namespace NativeCam.Cam.Output;

/// <summary>The output already exists and overwriting was not allowed.</summary>
public sealed class OutputExistsException(string path)
    : IOException($"{path}: exists (use --force to overwrite)")
{
    /// <summary>The existing file.</summary>
    public string Path { get; } = path;
}
