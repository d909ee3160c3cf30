using NativeCam.Cli.Tests.Support;

namespace NativeCam.Cli.Tests;

/// <summary>`explain DIR --batch-size N`: the same files, bitwise, as one image per forward pass.</summary>
public class ExplainBatchTests
{
    private static string Folder()
    {
        var dir = Tool.TempDir();
        foreach (var name in new[] { "chelsea.png", "coffee.png" }) File.Copy(Tool.Sample(name), Path.Combine(dir, name));
        File.Copy(Path.Combine(Tool.RepoRoot, "tests", "data", "photos", "rocket.jpg"), Path.Combine(dir, "rocket.jpg"));
        return dir;
    }

    [Fact]
    public void BatchesOfTwoWriteTheMapsOfOneAtATime()
    {
        var images = Folder();
        string one = Tool.TempDir(), two = Tool.TempDir();
        string[] common = ["--method", "gradcam,shapleycam,random", "--raw", "--signals", "--json", "--threads", "2", "--seed", "3"];
        var a = Tool.Run(["explain", images, "--batch-size", "1", "--output", one, .. common]);
        Assert.True(a.Code == 0, a.Err);
        var b = Tool.Run(["explain", images, "--batch-size", "2", "--output", two, .. common]);
        Assert.True(b.Code == 0, b.Err);
        var files = Directory.GetFiles(one, "*.npy").Select(Path.GetFileName).Order().ToList();
        Assert.Equal(3 * 3 + 3 * 4, files.Count); // three maps and four signal files per image
        Assert.Equal(files, Directory.GetFiles(two, "*.npy").Select(Path.GetFileName).Order());
        foreach (var f in files)
            Assert.True(File.ReadAllBytes(Path.Combine(one, f!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(two, f!))), f);
        var classes = Tool.Json(b.Out).GetProperty("images").EnumerateArray().Select(i => i.GetProperty("class").GetInt32()).ToList();
        Assert.Equal(Tool.Json(a.Out).GetProperty("images").EnumerateArray().Select(i => i.GetProperty("class").GetInt32()), classes);
    }

    [Fact]
    public void ABrokenFileInTheMiddleFailsAloneAndKeepsTheOthersIndices()
    {
        var images = Folder();
        File.WriteAllBytes(Path.Combine(images, "cz-broken.png"), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        string one = Tool.TempDir(), four = Tool.TempDir();
        string[] common = ["--method", "random", "--raw", "--threads", "2"];
        var a = Tool.Run(["explain", images, "--batch-size", "1", "--output", one, .. common]);
        var b = Tool.Run(["explain", images, "--batch-size", "4", "--output", four, .. common]);
        Assert.Equal(3, a.Code);
        Assert.Equal(3, b.Code);
        foreach (var f in Directory.GetFiles(one, "*.npy").Select(Path.GetFileName))
            Assert.True(File.ReadAllBytes(Path.Combine(one, f!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(four, f!))), f);
    }
}
