using NativeCam.Cam.Output;

namespace NativeCam.Cli.Infrastructure;

/// <summary>The --output folder: failures to create it or write into it name the option and the folder (exit 1).</summary>
public static class OutputFolder
{
    /// <summary>Creates (if needed) and opens the folder.</summary>
    /// <exception cref="OutputFolderException">It cannot be created or is not a folder.</exception>
    public static SafeOutput Open(string directory, bool force, string option = "--output") =>
        Guard(directory, "cannot create or open the output folder", () => new SafeOutput(directory, force), option);

    /// <summary>Runs a write into the folder, turning file-system errors into <see cref="OutputFolderException"/>.</summary>
    public static T Guard<T>(string directory, string what, Func<T> write, string option = "--output")
    {
        try { return write(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException
                                      or System.Security.SecurityException && e is not OutputExistsException and not OutputFolderException)
        {
            throw new OutputFolderException($"{option} {directory}: {what}: {e.Message}", e);
        }
    }
}

/// <summary>The output folder cannot be created or written (the message names the option and the folder).</summary>
public sealed class OutputFolderException(string message, Exception inner) : IOException(message, inner);
