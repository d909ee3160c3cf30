using NativeCam.Cam.Output;
using NativeCam.Cli.Tests.Support;

namespace NativeCam.Cli.Tests;

/// <summary>Every file lands inside --output whatever the image names; existing files are not overwritten without --force.</summary>
public class OutputSafetyTests
{
    [Theory]
    [InlineData("..", "image")]
    [InlineData("../../etc/passwd", "_._etc_passwd")]
    [InlineData(".hidden", "hidden")]
    [InlineData("...", "image")]
    [InlineData("a..b", "a.b")]
    [InlineData("a\\..\\..\\b", "a_._._b")]
    [InlineData("name with spaces", "name with spaces")]
    [InlineData("tab\there", "tab_here")]
    [InlineData("x:y*z?", "x_y_z_")]
    [InlineData("", "image")]
    public void StemsAreSanitised(string stem, string expected)
    {
        var s = SafeOutput.SanitizeStem(stem);
        Assert.Equal(expected, s);
        Assert.DoesNotContain("/", s);
        Assert.DoesNotContain("\\", s);
        Assert.DoesNotContain("..", s);
        Assert.False(s.StartsWith('.'));
    }

    [Theory]
    [InlineData("../x.png")]
    [InlineData("..")]
    [InlineData("a/b.png")]
    [InlineData("/etc/x.png")]
    [InlineData("")]
    public void PathsOutsideTheFolderAreRejected(string name)
    {
        var o = new SafeOutput(Tool.TempDir(), force: false);
        Assert.Throws<ArgumentException>(() => o.PathOf(name));
    }

    [Fact]
    public void OddImageNamesStayInsideTheOutput()
    {
        var root = Tool.TempDir();
        var input = Directory.CreateDirectory(Path.Combine(root, "in")).FullName;
        var output = Path.Combine(root, "deep", "out");
        string[] names = ["..png", "...png", ".hidden.png", "..\\..\\evil.png", "a..b.png", " spaced .png", "dup.png", "dup.PNG"];
        for (int i = 0; i < names.Length; i++) TestImages.NoisePng(Path.Combine(input, names[i]), 40, 30, i);

        // named one by one: a directory walk skips hidden files (names starting with '.')
        var (code, _, stderr) = Tool.Run(["explain", .. names.Select(n => Path.Combine(input, n)), "--model", Tool.FloatModel, "--method", "gradcam", "--raw", "--output", output]);
        Assert.True(code == 0, stderr);
        var written = Directory.GetFiles(root, "*", SearchOption.AllDirectories).Where(f => !f.StartsWith(input)).ToList();
        Assert.Equal(names.Length * 2, written.Count);
        Assert.All(written, f =>
        {
            Assert.Equal(Path.GetFullPath(output), Path.GetDirectoryName(f));
            Assert.False(Path.GetFileName(f).StartsWith('.'), f);
            Assert.DoesNotContain("..", Path.GetFileName(f));
        });
        Assert.Equal(2, Directory.GetDirectories(root).Length); // in/ and deep/ only
    }

    [Fact]
    public void ExistingOutputIsRefusedWithExit2AndKeptUnchangedUnlessForced()
    {
        var dir = Tool.TempDir();
        var target = Path.Combine(dir, "chelsea.gradcam.png");
        File.WriteAllText(target, "precious");
        var args = new[] { "explain", Tool.Sample("chelsea.png"), "--model", Tool.FloatModel, "--method", "gradcam", "--output", dir };
        var (code, _, stderr) = Tool.Run(args);
        Assert.Equal(2, code);
        Assert.Contains("already exist", stderr);
        Assert.Contains("--force", stderr);
        Assert.Equal("precious", File.ReadAllText(target));
        Assert.Single(Directory.GetFiles(dir));

        var (forced, _, forcedErr) = Tool.Run([.. args, "--force"]);
        Assert.True(forced == 0, forcedErr);
        Assert.NotEqual("precious", File.ReadAllText(target));
        Assert.Single(Directory.GetFiles(dir)); // no temporary files left behind
    }

    [Fact]
    public void WriteIsAtomicAndRefusesToOverwrite()
    {
        var o = new SafeOutput(Tool.TempDir(), force: false);
        var path = o.Write("a.bin", [1, 2, 3]);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Throws<OutputExistsException>(() => o.Write("a.bin", [4]));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(o.Root));
    }
}
