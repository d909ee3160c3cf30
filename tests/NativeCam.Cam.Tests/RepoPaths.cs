namespace NativeCam.Cam.Tests;

/// <summary>Files of the repository and of ../shared, found by walking up from the test binaries (any clone or worktree).</summary>
public static class RepoPaths
{
    /// <summary>The first existing <paramref name="relative"/> under a folder above the test binaries.</summary>
    private static string Above(string relative, string what)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"{what} was not found above {AppContext.BaseDirectory}");
    }

    /// <summary>shared/models/<paramref name="name"/>.</summary>
    public static string SharedModel(string name) => Above(Path.Combine("shared", "models", name), $"shared/models/{name}");

    /// <summary>A file of this repository, e.g. "Cam/samples/coffee.png".</summary>
    public static string Repo(string relative) =>
        Path.Combine(Path.GetDirectoryName(Above("NativeCam.sln", "NativeCam.sln"))!, relative);

    /// <summary>tests/fixtures/models/<paramref name="file"/>.</summary>
    public static string Fixture(string file) => Repo(Path.Combine("tests", "fixtures", "models", file));
}
