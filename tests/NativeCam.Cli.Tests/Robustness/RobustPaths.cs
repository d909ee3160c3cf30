using NativeCam.Cli.Tests.Support;
namespace NativeCam.Cli.Tests.Robustness;

/// <summary>Repository files the robustness tests use (never ../shared: a fresh clone has none).</summary>
public static class RobustPaths
{
    /// <summary>The repository root, found by walking up to NativeCam.sln.</summary>
    public static string Repo
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "NativeCam.sln"))) return dir.FullName;
            throw new DirectoryNotFoundException($"NativeCam.sln was not found above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>A committed sample photo.</summary>
    public static string Sample(string name) => Path.Combine(Repo, "Cam", "samples", name);

    /// <summary>A fixture model of tests/fixtures/models.</summary>
    public static string Fixture(string name) => Path.Combine(Repo, "tests", "fixtures", "models", name);

    /// <summary>Writes bytes to a fresh temporary folder; returns the path.</summary>
    public static string Write(string name, byte[] data, string? folder = null)
    {
        var path = Path.Combine(folder ?? Tool.TempDir(), name);
        File.WriteAllBytes(path, data);
        return path;
    }
}
