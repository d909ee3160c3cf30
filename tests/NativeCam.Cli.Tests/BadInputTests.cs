using NativeCam.Cli.Tests.Support;

namespace NativeCam.Cli.Tests;

/// <summary>Bad images in a batch are reported on stderr and skipped (exit 3); a batch of only bad ones exits 1.</summary>
public class BadInputTests
{
    [Fact]
    public void DirectoryWithBadImagesProcessesTheOthersAndExits3()
    {
        var root = Tool.TempDir();
        var input = Directory.CreateDirectory(Path.Combine(root, "in")).FullName;
        var output = Path.Combine(root, "out");
        TestImages.NoisePng(Path.Combine(input, "good.png"), 80, 60, 1);
        Directory.CreateDirectory(Path.Combine(input, "sub"));
        TestImages.NoisePng(Path.Combine(input, "sub", "nested.png"), 50, 70, 2);
        File.WriteAllBytes(Path.Combine(input, "corrupt.png"), CraftedImages.CorruptPng(3));
        File.WriteAllBytes(Path.Combine(input, "huge.png"), CraftedImages.PngHeader(12000, 12000));
        File.WriteAllBytes(Path.Combine(input, "anim.gif"), CraftedImages.Gif());
        File.WriteAllBytes(Path.Combine(input, "pic.webp"), CraftedImages.WebP());
        File.WriteAllText(Path.Combine(input, "notes.txt"), "not an image");

        var (code, stdout, stderr) = Tool.Run("explain", input, "--model", Tool.FloatModel, "--method", "gradcam", "--output", output, "--json");
        Assert.Equal(3, code);
        Assert.Equal(["good.gradcam.png", "nested.gradcam.png"], Directory.GetFiles(output).Select(Path.GetFileName).Order());
        Assert.Contains("corrupt.png: corrupt or unreadable PNG image", stderr);
        Assert.Contains("huge.png: image of 12000×12000 pixels", stderr);
        Assert.Contains("anim.gif: unsupported image format (GIF)", stderr);
        Assert.Contains("pic.webp: unsupported image format (WebP)", stderr);
        Assert.DoesNotContain("notes.txt", stderr);
        Assert.Contains("[6/6]", stderr); // progress for batches
        var doc = Tool.Json(stdout);
        Assert.Equal(2, doc.GetProperty("images").GetArrayLength());
        Assert.Equal(4, doc.GetProperty("failures").GetArrayLength());
    }

    [Fact]
    public void OnlyBadInputsExit1()
    {
        var root = Tool.TempDir();
        var gif = Path.Combine(root, "a.gif");
        File.WriteAllBytes(gif, CraftedImages.Gif());
        var (code, _, stderr) = Tool.Run("classify", gif, "--model", Tool.FloatModel);
        Assert.Equal(1, code);
        Assert.Contains($"{gif}: unsupported image format (GIF); supported: PNG, JPEG, BMP", stderr);
    }
}
