using System.Buffers.Binary;
using NativeCam.Cli.Tests.Support;
using NativeCam.Fuzz.Fuzzing;

namespace NativeCam.Cli.Tests.Robustness;

/// <summary>
/// Regressions: a mutated JPEG that made the decoder throw NullReferenceException (the process used to abort and
/// the batch stopped), and truncated PNG/JPEG files (used to be explained silently as if whole).
/// </summary>
public class CorruptImageTests
{
    [Fact]
    public void MutatedJpegThatCrashedTheDecoderIsReportedAndTheBatchGoesOn()
    {
        var jpeg = RegressionInputs.MutatedJpeg();
        // the exact input: the decoder itself still fails with an exception type it does not document
        Assert.Throws<NullReferenceException>(() => SixLabors.ImageSharp.Image.Identify(jpeg));

        var root = Tool.TempDir();
        var input = Directory.CreateDirectory(Path.Combine(root, "in")).FullName;
        File.WriteAllBytes(Path.Combine(input, "a-mutated.jpg"), jpeg);
        TestImages.NoisePng(Path.Combine(input, "b-good.png"), 64, 48, 1);

        var (code, _, stderr) = Tool.Run("explain", input, "--method", "gradcam", "--output", Path.Combine(root, "out"));
        Assert.Equal(3, code);
        Assert.Contains("a-mutated.jpg: corrupt or unreadable JPEG image", stderr);
        Assert.True(File.Exists(Path.Combine(root, "out", "b-good.gradcam.png")));
        Assert.DoesNotContain(" at ", stderr.Replace("JPEG image", ""));

        var (evalCode, _, evalErr) = Tool.Run("eval", "--images", input, "--methods", "gradcam", "--metrics", "adcc", "--output", Path.Combine(root, "eval"));
        Assert.Equal(3, evalCode);
        Assert.Contains("a-mutated.jpg: corrupt or unreadable JPEG image", evalErr);
        Assert.True(File.Exists(Path.Combine(root, "eval", "eval.json")));
    }

    /// <summary>Filtered scanline bytes a non-interlaced PNG declares: height × (1 + ⌈width·bits/8⌉).</summary>
    private static long DeclaredPixelBytes(byte[] png)
    {
        int w = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), h = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20));
        int depth = png[24], channels = png[25] switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
        Assert.Equal(0, png[28]); // not interlaced
        return h * (1 + ((long)w * channels * depth + 7) / 8);
    }

    [Fact]
    public void PngCutAtTenPercentIsRefusedUnlessAllowed()
    {
        var png = File.ReadAllBytes(RobustPaths.Sample("coffee.png"));
        var cut = RobustPaths.Write("coffee-cut.png", RegressionInputs.TruncatedPng(png));
        var (code, _, stderr) = Tool.Run("classify", cut);
        Assert.Equal(1, code);
        Assert.Matches($@"coffee-cut\.png: PNG image is truncated: \d+ of {DeclaredPixelBytes(png)} bytes of pixel data", stderr);

        var (allowed, stdout, _) = Tool.Run("classify", cut, "--allow-truncated", "--json");
        Assert.Equal(0, allowed);
        Assert.Equal(1, Tool.Json(stdout).GetProperty("images").GetArrayLength());
    }

    [Fact]
    public void JpegCutToAThirdIsRefusedUnlessAllowed()
    {
        var jpeg = RegressionInputs.JpegOf(File.ReadAllBytes(RobustPaths.Sample("coffee.png")));
        var cut = RobustPaths.Write("coffee-cut.jpg", RegressionInputs.TruncatedJpeg(jpeg));
        var (code, _, stderr) = Tool.Run("explain", cut, "--method", "gradcam", "--output", Path.Combine(Path.GetDirectoryName(cut)!, "out"));
        Assert.Equal(1, code);
        Assert.Contains($"coffee-cut.jpg: JPEG image is truncated: the file ends after {jpeg.Length / 3} bytes", stderr);

        var (allowed, _, _) = Tool.Run("explain", cut, "--method", "gradcam", "--allow-truncated", "--output", Path.Combine(Path.GetDirectoryName(cut)!, "out"));
        Assert.Equal(0, allowed);
    }

    [Fact]
    public void CompleteFilesPassTheTruncationCheck()
    {
        foreach (var seed in Seeds.Images())
            Assert.Null(NativeCam.Cam.Images.ImageIntegrity.Check(seed.Kind.ToString().ToUpperInvariant(), seed.Bytes));
        Assert.Null(NativeCam.Cam.Images.ImageIntegrity.Check("PNG", File.ReadAllBytes(RobustPaths.Sample("chelsea.png"))));
    }

    [Fact]
    public void EveryCutOfASmallImageIsRefusedOrDecoded()
    {
        // every prefix of each seed: a documented refusal or a decode, never another exception or a hang
        var loader = new NativeCam.Cam.Images.ImageLoader { AllowTruncated = true };
        var strict = new NativeCam.Cam.Images.ImageLoader();
        foreach (var seed in Seeds.Images())
            for (int n = 1; n < seed.Bytes.Length; n += Math.Max(1, seed.Bytes.Length / 97))
            {
                var cut = seed.Bytes[..n];
                var e = Record.Exception(() => strict.DecodeForModel(cut, seed.Name, 16, 16));
                if (n < seed.Bytes.Length - 12) Assert.IsType<NativeCam.Cam.Images.ImageLoadException>(e); // before PNG's IEND chunk
                else Assert.True(e is null or NativeCam.Cam.Images.ImageLoadException, $"{seed.Name}[..{n}]: {e}");
                var lenient = Record.Exception(() => loader.DecodeForModel(cut, seed.Name, 16, 16));
                Assert.True(lenient is null or NativeCam.Cam.Images.ImageLoadException, $"{seed.Name}[..{n}]: {lenient}");
            }
    }
}
