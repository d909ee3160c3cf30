using System.Runtime.CompilerServices;

namespace NativeCam.Tests.Common;

/// <summary>
/// A test that needs a data set which may not be redistributed (so it is not in the repository): it runs when the
/// environment variable <see cref="Variable"/> names the data set's folder, and is reported as skipped, with the
/// reason, when the variable is unset (the reason is also put in the display name: dotnet test's default console
/// output lists skipped tests by name only). A variable that names a missing folder is not skipped: the test then
/// fails with the path in its message.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class DatasetFactAttribute : FactAttribute
{
    /// <summary>The variable for the ImageNet dev photos (NNN_wnid_name.JPEG, one per fifth class).</summary>
    public const string ImageNetDir = "NATIVECAM_IMAGENET_DIR";

    /// <param name="variable">The environment variable that names the folder.</param>
    /// <param name="what">The data set, for the skip reason.</param>
    /// <param name="test">The test method (filled in by the compiler), for the display name.</param>
    /// <param name="file">The test's source file (filled in by the compiler): its name is the test class's.</param>
    public DatasetFactAttribute(string variable, string what, [CallerMemberName] string test = "", [CallerFilePath] string file = "")
    {
        Variable = variable;
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable))) return;
        Skip = $"dataset test: set {variable} to the folder of {what} to run it";
        DisplayName = $"{Path.GetFileNameWithoutExtension(file)}.{test} ({Skip})";
    }

    /// <summary>The environment variable that names the folder.</summary>
    public string Variable { get; }

    /// <summary>The folder named by <paramref name="variable"/>; fails when it is unset or not a folder.</summary>
    public static string Folder(string variable)
    {
        var dir = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(dir)) throw new InvalidOperationException($"{variable} is not set");
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{variable} names {dir}, which is not a folder");
        return dir;
    }
}
