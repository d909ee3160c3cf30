using NativeCam.Cam.Evaluation;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NativeCam.Cam.Tests.Evaluation;

/// <summary>The report opened from a file:// path by headless Chromium: it renders, and the browser's DOM has every part.</summary>
public sealed class HtmlReportChromiumTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [ChromiumFact]
    public void Chromium_renders_the_report_to_a_screenshot()
    {
        using var page = ReportPage.Write();
        string screenshot = Path.Combine(page.Folder, "page.png");
        ChromiumProcess.Run([$"--screenshot={screenshot}", "--window-size=1400,2000", page.Uri], Timeout);

        Assert.True(File.Exists(screenshot), $"Chromium wrote no screenshot at {screenshot}");
        using var image = Image.Load<Rgb24>(screenshot);
        Assert.Equal(1400, image.Width);
        Assert.Equal(2000, image.Height);
        var colours = new HashSet<Rgb24>();
        int notWhite = 0;
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
                foreach (var p in rows.GetRowSpan(y))
                {
                    colours.Add(p);
                    if (p.R < 250 || p.G < 250 || p.B < 250) notWhite++;
                }
        });
        Assert.True(colours.Count > 64, $"the screenshot has only {colours.Count} colours");
        Assert.True(notWhite > image.Width * image.Height / 100, $"only {notWhite} pixels are not white");
    }

    [ChromiumFact]
    public void Chromium_dom_has_the_table_the_curves_and_the_grid()
    {
        using var page = ReportPage.Write();
        var dom = LenientHtml.Parse(ChromiumProcess.Run(["--dump-dom", page.Uri], Timeout));
        int methods = SampleReport.Methods.Length, images = SampleReport.Images.Length;

        var body = Assert.Single(dom.All("body"));
        Assert.Empty(dom.All("script"));
        var table = Assert.Single(dom.All("table", "metrics"));
        Assert.Equal(methods, Assert.Single(table.All("tbody")).All("tr").Count());
        Assert.Equal(2 * methods, dom.All("svg", "curve").Count());
        var grid = Assert.Single(dom.All("table", "overlays"));
        var imgs = grid.All("img").ToList();
        Assert.Equal(images * methods, imgs.Count);
        Assert.All(imgs, img => Assert.StartsWith("data:image/png;base64,", img.Attributes["src"]));

        string text = body.Text();
        foreach (var method in SampleReport.Methods) Assert.Contains(method, text);
        foreach (var image in SampleReport.Images) Assert.Contains(image, text);
    }

    /// <summary>The sample report written to report.html in a new temporary folder (deleted on dispose).</summary>
    private sealed class ReportPage : IDisposable
    {
        public string Folder { get; } = Directory.CreateTempSubdirectory("nativecam-report-").FullName;

        public string Uri => new Uri(Path.Combine(Folder, "report.html")).AbsoluteUri;

        public static ReportPage Write()
        {
            var page = new ReportPage();
            File.WriteAllText(Path.Combine(page.Folder, "report.html"), HtmlReport.Render(SampleReport.Build(), SampleReport.Overlays()));
            return page;
        }

        public void Dispose()
        {
            try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
        }
    }
}
