using NativeCam.Cli.Tests.Support;
using System.Diagnostics;
using NativeCam.Cam.Images;
using NativeCam.Fuzz.Fuzzing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NativeCam.Cli.Tests.Robustness;

/// <summary>
/// Regression: a small PNG declaring 10 000 × 10 000 pixels took 2.8 GB (8-bit RGB and 16-bit RGBA alike) to
/// explain. Images are now reduced as they are decoded; the CLI runs as a child process whose peak resident set
/// (VmHWM of /proc/PID/status, a high-water mark the kernel keeps) is read until it exits.
/// </summary>
public class LargeImageTests
{
    private const long OneGigabyte = 1L << 30;

    /// <summary>Runs the CLI (the nativecam.dll next to the tests) and returns its exit code, stderr and peak RSS in bytes.</summary>
    private static (int Code, string Err, long PeakBytes) RunMeasured(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "nativecam.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        long peak = 0;
        string status = $"/proc/{p.Id}/status";
        while (!p.HasExited)
        {
            try
            {
                foreach (var line in File.ReadLines(status))
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                        peak = Math.Max(peak, 1024 * long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { break; } // exited between the check and the read
            Thread.Sleep(5);
        }
        p.WaitForExit();
        return (p.ExitCode, stderr.Result + stdout.Result, peak);
    }

    [Theory]
    [InlineData("png")]
    [InlineData("png16")]
    [InlineData("jpg")]
    public void HundredMegapixelImageExplainsInUnderOneGigabyte(string kind)
    {
        Assert.True(OperatingSystem.IsLinux(), "peak RSS is read from /proc");
        var dir = Tool.TempDir();
        var path = Path.Combine(dir, kind == "jpg" ? "large.jpg" : "large.png");
        if (kind == "jpg") RegressionInputs.WriteLargeJpeg(path, 10000, 10000);
        else RegressionInputs.WriteLargePng(path, 10000, 10000, rgba16: kind == "png16");
        Assert.True(new FileInfo(path).Length < 10 << 20); // a small file declaring 100 megapixels

        var (code, output, peak) = RunMeasured("explain", path, "--method", "gradcam", "--threads", "2", "--output", Path.Combine(dir, "out"));
        Assert.True(code == 0, output);
        Assert.True(peak > 0, "no VmHWM sample was read");
        Assert.True(peak < OneGigabyte, $"peak RSS {peak >> 20} MiB");
        var overlay = Image.Identify(Path.Combine(dir, "out", "large.gradcam.png"));
        Assert.Equal((4096, 4096), (overlay.Width, overlay.Height)); // the display copy: 4096² of the 10 000² photo
    }

    [Fact]
    public void ReducedLoadingGivesThePillowExactModelInput()
    {
        var loader = new ImageLoader();
        // the committed photos, and a 20-megapixel one above the display limit (a reduced display copy)
        var big = Path.Combine(Tool.TempDir(), "big.png");
        using (var image = Seeds.Pattern(5000, 4000)) image.SaveAsPng(big);
        foreach (var path in new[] { RobustPaths.Sample("coffee.png"), RobustPaths.Sample("chelsea.png"), big })
            foreach (var (h, w) in new[] { (224, 224), (112, 112), (240, 200) })
            {
                var full = loader.Load(path);
                var (crop, geometry) = ImageNetPreprocessor.ResizeAndCrop(full, h, w);
                var reduced = loader.LoadForModel(path, h, w);
                Assert.Equal(crop.Pixels, reduced.Crop.Pixels);
                Assert.Equal(geometry, reduced.Geometry);
                Assert.Equal((full.Width, full.Height), (reduced.Width, reduced.Height));
                if ((long)full.Width * full.Height <= loader.Limits.MaxDisplayPixels) Assert.Equal(full.Pixels, reduced.Display.Pixels);
                else
                {
                    Assert.True((long)reduced.Display.Width * reduced.Display.Height <= loader.Limits.MaxDisplayPixels);
                    Assert.Equal(AntialiasedBilinear.Resize(full, reduced.Display.Width, reduced.Display.Height).Pixels, reduced.Display.Pixels);
                }
            }
    }
}
