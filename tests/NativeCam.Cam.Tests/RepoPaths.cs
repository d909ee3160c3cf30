namespace NativeCam.Cam.Tests;

/// <summary>Files of the repository (see <see cref="TestData"/>), found by walking up from the test binaries (any clone or worktree).</summary>
public static class RepoPaths
{
    /// <summary>A file of this repository, e.g. "Cam/samples/coffee.png".</summary>
    public static string Repo(string relative) => TestData.Repo(relative);

    /// <summary>tests/fixtures/models/<paramref name="file"/>.</summary>
    public static string Fixture(string file) => Repo(Path.Combine("tests", "fixtures", "models", file));
}
