namespace NativeCam.Tests.Common;

/// <summary>
/// The files the tests read, all inside the repository (found by walking up from the test binaries to the folder that
/// holds NativeCam.sln, so any clone or worktree works): tests/data, the CLI's samples and the embedded model.
/// </summary>
public static class TestData
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The repository root: the nearest folder above the test binaries that holds NativeCam.sln.</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>A file of the repository, e.g. "Cam/samples/coffee.png"; not checked.</summary>
    public static string Repo(string relative) => Path.Combine(RepoRoot, relative);

    /// <summary>The float MobileNetV2 (tests/data/models; see tests/data/NOTICE.md).</summary>
    public static string FloatModel => Model("mobilenetv2-12-float.onnx");

    /// <summary>The int8 MobileNetV2 that the library embeds.</summary>
    public static string Int8Model => Model("mobilenetv2-12-int8.onnx");

    /// <summary>The 1000 ImageNet class names in class order (the library's embedded copy).</summary>
    public static string ImageNetLabels => Existing("Importers/NativeCam.Importers/Models/imagenet_classes.txt");

    /// <summary>A model: tests/data/models/<paramref name="name"/>, else the library's embedded Models folder.</summary>
    public static string Model(string name) =>
        First(name, Path.Combine("tests", "data", "models", name), Path.Combine("Importers", "NativeCam.Importers", "Models", name));

    /// <summary>A redistributable photo: tests/data/photos/<paramref name="name"/>, else Cam/samples/<paramref name="name"/>.</summary>
    public static string Photo(string name) =>
        First(name, Path.Combine("tests", "data", "photos", name), Path.Combine("Cam", "samples", name));

    private static string Existing(string relative) => First(relative, relative);

    private static string First(string what, params string[] candidates)
    {
        foreach (var c in candidates)
        {
            var path = Repo(c);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"{what} is not in the repository at {RepoRoot} (looked for {string.Join(", ", candidates)})");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NativeCam.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no folder above {AppContext.BaseDirectory} holds NativeCam.sln");
    }
}
