namespace NativeCam.Cli.Infrastructure;

/// <summary>Expands IMAGE_OR_DIR arguments into image files.</summary>
public static class InputFiles
{
    /// <summary>Extensions picked up when walking a directory (unsupported ones are then reported, not skipped silently).</summary>
    public static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".jfif", ".jpe", ".bmp", ".gif", ".webp", ".tif", ".tiff"];

    /// <summary>
    /// Files as given, and for each directory every file with an image extension below it (recursively, sorted by
    /// ordinal path; hidden files and folders — names starting with '.' — are skipped, as shells do). A path that
    /// does not exist is a usage error.
    /// </summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> arguments)
    {
        var result = new List<string>();
        foreach (var arg in arguments)
        {
            if (File.Exists(arg)) result.Add(arg);
            else if (Directory.Exists(arg))
                result.AddRange(Directory.EnumerateFiles(arg, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
                    .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                    .Order(StringComparer.Ordinal));
            else throw new UsageException($"{arg}: no such file or directory");
        }
        if (result.Count == 0) throw new UsageException("no images found in the given paths");
        return result;
    }

    /// <summary>Output stems per input: sanitised file names, made unique within the run by -2, -3, ... suffixes.</summary>
    public static IReadOnlyList<string> Stems(IReadOnlyList<string> files)
    {
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var stems = new List<string>();
        foreach (var f in files)
        {
            var stem = NativeCam.Cam.Output.SafeOutput.SanitizeStem(Path.GetFileNameWithoutExtension(f));
            var unique = stem;
            for (int i = 2; !used.Add(unique); i++) unique = $"{stem}-{i}";
            stems.Add(unique);
        }
        return stems;
    }
}
