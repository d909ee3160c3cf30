using System.Text;

namespace NativeCam.Cam.Output;

/// <summary>
/// Writes files inside one output folder only: names are sanitised (no separators, no "..", no leading dots,
/// no control or reserved characters), the final path is checked to lie inside the folder, data goes to a
/// temporary name in the same folder first and is then renamed, and existing files are kept unless forced.
/// </summary>
public sealed class SafeOutput
{
    /// <summary>Creates the folder if needed.</summary>
    public SafeOutput(string directory, bool force)
    {
        Directory.CreateDirectory(directory);
        Root = Path.GetFullPath(directory);
        Force = force;
    }

    /// <summary>The output folder (absolute).</summary>
    public string Root { get; }

    /// <summary>Whether existing files may be overwritten.</summary>
    public bool Force { get; }

    /// <summary>
    /// A file-name stem safe on every platform: characters other than letters, digits, '-', '_', '.', '+' and
    /// spaces become '_'; dots do not lead, do not repeat and do not end; empty becomes "image"; at most 100 characters.
    /// </summary>
    public static string SanitizeStem(string stem)
    {
        var sb = new StringBuilder(stem.Length);
        foreach (var ch in stem.Normalize(NormalizationForm.FormC))
        {
            char c = char.IsLetterOrDigit(ch) || ch is '-' or '_' or '.' or '+' or ' ' ? ch : '_';
            if (c == '.' && (sb.Length == 0 || sb[^1] == '.')) continue;
            sb.Append(c);
        }
        var s = sb.ToString().Trim().TrimEnd('.').Trim();
        while (s.StartsWith('.')) s = s[1..];
        if (s.Length > 100) s = s[..100].TrimEnd('.');
        return s.Length == 0 ? "image" : s;
    }

    /// <summary>The full path of a file name inside the folder.</summary>
    /// <exception cref="ArgumentException">The name would leave the folder.</exception>
    public string PathOf(string fileName)
    {
        if (fileName.Length == 0 || fileName != Path.GetFileName(fileName) || fileName is "." or ".." ||
            fileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || fileName.Contains('/') || fileName.Contains('\\'))
            throw new ArgumentException($"'{fileName}' is not a plain file name");
        var full = Path.GetFullPath(Path.Combine(Root, fileName));
        if (!string.Equals(Path.GetDirectoryName(full), Root.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
            throw new ArgumentException($"'{fileName}' would be written outside {Root}");
        return full;
    }

    /// <summary>Whether the file exists and may not be overwritten.</summary>
    public bool IsBlocked(string fileName) => !Force && File.Exists(PathOf(fileName));

    /// <summary>Writes the file atomically (temporary name in the folder, then rename).</summary>
    /// <returns>The full path written.</returns>
    /// <exception cref="OutputExistsException">It exists and <see cref="Force"/> is off.</exception>
    public string Write(string fileName, ReadOnlySpan<byte> data)
    {
        var target = PathOf(fileName);
        if (!Force && File.Exists(target)) throw new OutputExistsException(target);
        var temp = Path.Combine(Root, $".{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                fs.Write(data);
                fs.Flush(true);
            }
            if (Force) File.Move(temp, target, overwrite: true);
            else
            {
                try { File.Move(temp, target, overwrite: false); }
                catch (IOException) when (File.Exists(target)) { throw new OutputExistsException(target); }
            }
            return target;
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
