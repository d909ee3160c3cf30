using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using NativeCam.Cam.Evaluation;

namespace NativeCam.Cam.Tests.Evaluation;

/// <summary>The HTML report parsed as strict XML: structure, figures against the test's reference, escaping, self-containment.</summary>
public sealed class HtmlReportTests
{
    private static readonly EvaluationReport Report = SampleReport.Build();
    private static readonly Dictionary<(string Image, string Method), byte[]> Overlays = SampleReport.Overlays();

    private static string Pct(double fraction) => (fraction * 100).ToString("F2", CultureInfo.InvariantCulture);

    [Fact]
    public void Page_is_well_formed_and_has_every_section()
    {
        var doc = XhtmlQuery.Parse(HtmlReport.Render(Report, Overlays));
        Assert.Equal("html", doc.Root!.Name.LocalName);
        Assert.Single(doc.All("head"));
        Assert.Single(doc.All("body"));
        foreach (var id in new[] { "metrics", "curves", "overlays" })
            Assert.Single(doc.All("section"), s => (string?)s.Attribute("id") == id);
    }

    [Fact]
    public void Page_loads_nothing_from_outside()
    {
        string html = HtmlReport.Render(Report, Overlays);
        var references = Regex.Matches(html, "https?://[^\"'\\s)]*").Select(m => m.Value).Distinct().ToList();
        Assert.Equal(["http://www.w3.org/2000/svg"], references);
        Assert.All(Regex.Matches(html, "https?://").Cast<Match>(), m =>
            Assert.EndsWith("xmlns=\"", html[..m.Index]));
        foreach (var forbidden in new[] { "src=\"/", "href=", "url(", "@import", "<script", "<link", "<iframe", "<object" })
            Assert.DoesNotContain(forbidden, html, StringComparison.OrdinalIgnoreCase);
        var doc = XhtmlQuery.Parse(html);
        Assert.All(doc.All("img"), img => Assert.StartsWith("data:image/png;base64,", img.Attr("src")));
    }

    [Fact]
    public void Names_with_markup_stay_text()
    {
        string html = HtmlReport.Render(Report, Overlays);
        Assert.DoesNotContain("<b>", html);
        var doc = XhtmlQuery.Parse(html);
        Assert.Empty(doc.All("script"));
        Assert.Empty(doc.All("b"));
        var rowHeads = doc.All("table", "metrics").Single().All("tbody").Single().All("th").Select(th => th.Value).ToList();
        Assert.Equal(SampleReport.Methods, rowHeads);
        Assert.Contains(doc.All("dd"), dd => dd.Value == "mobilenetv2-12-int8 <&>");
        var imageHeads = doc.All("table", "overlays").Single().All("th", "image").ToList();
        Assert.Contains(SampleReport.Images[1], imageHeads[1].Value);
    }

    [Fact]
    public void Header_shows_settings_and_scope()
    {
        var doc = XhtmlQuery.Parse(HtmlReport.Render(Report, Overlays));
        var settings = doc.All("dt").Zip(doc.All("dd"), (dt, dd) => (dt.Value, dd.Value)).ToDictionary();
        Assert.Equal(Report.Layer, settings["Layer"]);
        Assert.Equal(Report.Utility, settings["Utility"]);
        Assert.Equal("3", settings["Images"]);
        Assert.Contains("Complete result", doc.All("p").Single(p => (string?)p.Attribute("id") == "scope").Value);

        var shard = XhtmlQuery.Parse(HtmlReport.Render(SampleReport.Build(shard: "2/4"), Overlays));
        Assert.Contains("Shard 2/4", shard.All("p").Single(p => (string?)p.Attribute("id") == "scope").Value);
    }

    [Fact]
    public void Metric_table_shows_percent_and_marks_the_best_of_each_column()
    {
        var doc = XhtmlQuery.Parse(HtmlReport.Render(Report, Overlays));
        var rows = doc.All("table", "metrics").Single().All("tbody").Single().Elements().ToList();
        Assert.Equal(Report.Results.Count, rows.Count);
        // Column order and direction as the report promises: AD↓ IC↑ ADD↑ Coh↑ Com↓ ADCC↑ ROAD↑ DelAUC↓ InsAUC↑ s/image↓.
        var columns = new (Func<MethodSummary, double?> Value, bool Lower, bool Percent)[]
        {
            (r => r.AverageDrop, true, true), (r => r.IncreaseInConfidence, false, true), (r => r.AverageDropInDeletion, false, true),
            (r => r.Coherency, false, true), (r => r.Complexity, true, true), (r => r.Adcc, false, true),
            (r => r.RoadCombined, false, true), (r => r.DeletionAuc, true, true), (r => r.InsertionAuc, false, true),
            (r => r.SecondsPerImage, true, false),
        };
        var headings = doc.All("table", "metrics").Single().All("thead").Single().All("th").Skip(1).Select(th => th.Value).ToList();
        Assert.Equal(columns.Length, headings.Count);
        for (int c = 0; c < columns.Length; c++) Assert.EndsWith(columns[c].Lower ? "↓" : "↑", headings[c]);

        for (int c = 0; c < columns.Length; c++)
        {
            var values = Report.Results.Select(columns[c].Value).ToList();
            var present = values.Where(v => v is not null).Select(v => v!.Value).ToList();
            double best = columns[c].Lower ? present.Min() : present.Max();
            for (int r = 0; r < rows.Count; r++)
            {
                var cell = rows[r].Elements().ElementAt(c + 1);
                string expected = values[r] is not { } v ? "—"
                    : columns[c].Percent ? Pct(v) : v.ToString("F3", CultureInfo.InvariantCulture);
                Assert.Equal(expected, cell.Value);
                Assert.Equal(values[r] == best, cell.HasClass("best"));
            }
        }
        Assert.Equal("—", rows[2].Elements().ElementAt(7).Value);
    }

    [Fact]
    public void One_svg_per_method_and_kind_plots_the_mean_curve_on_its_axes()
    {
        var doc = XhtmlQuery.Parse(HtmlReport.Render(Report, Overlays));
        var charts = doc.All("svg", "curve").ToList();
        Assert.Equal(2 * Report.Results.Count, charts.Count);
        foreach (var summary in Report.Results)
        {
            foreach (var kind in new[] { "deletion", "insertion" })
            {
                var svg = Assert.Single(charts, s => s.Attr("data-method") == summary.Method && s.Attr("data-kind") == kind);
                var curve = kind == "deletion" ? summary.MeanDeletionCurve! : summary.MeanInsertionCurve!;
                double auc = kind == "deletion" ? summary.DeletionAuc!.Value : summary.InsertionAuc!.Value;
                Assert.Equal(SampleReport.Trapezoid(curve), auc, 12);
                Assert.Contains(summary.Method, svg.All("title").Single().Value);
                var title = svg.All("text", "title").Single().Value;
                Assert.Contains(kind, title);
                Assert.Contains($"AUC {Pct(auc)}%", title);

                string[] labels = ["0", "0.2", "0.4", "0.6", "0.8", "1"];
                Assert.Equal(labels, svg.All("text", "tick").Where(t => t.Attr("text-anchor") == "middle").Select(t => t.Value));
                Assert.Equal(labels, svg.All("text", "tick").Where(t => t.Attr("text-anchor") == "end").Select(t => t.Value));

                // The axes: the longest horizontal line spans x = 0..1 at p = 0; the longest vertical spans p = 0..1.
                var axes = svg.All("line", "axis").ToList();
                var xAxis = axes.Where(l => l.Number("y1") == l.Number("y2")).MaxBy(l => Math.Abs(l.Number("x2") - l.Number("x1")))!;
                var yAxis = axes.Where(l => l.Number("x1") == l.Number("x2")).MaxBy(l => Math.Abs(l.Number("y2") - l.Number("y1")))!;
                double x0 = Math.Min(xAxis.Number("x1"), xAxis.Number("x2")), x1 = Math.Max(xAxis.Number("x1"), xAxis.Number("x2"));
                double yZero = Math.Max(yAxis.Number("y1"), yAxis.Number("y2")), yOne = Math.Min(yAxis.Number("y1"), yAxis.Number("y2"));
                Assert.Equal(yZero, xAxis.Number("y1"));

                var points = PathPoints(svg.All("path", "line").Single().Attr("d"));
                Assert.Equal(curve.Length, points.Count);
                for (int k = 0; k < curve.Length; k++)
                {
                    Assert.Equal((double)k / (curve.Length - 1), (points[k].X - x0) / (x1 - x0), 3);
                    Assert.Equal(curve[k], (yZero - points[k].Y) / (yZero - yOne), 3);
                }
            }
        }
    }

    [Fact]
    public void Overlay_grid_has_every_image_and_method_with_its_png_and_scores()
    {
        var doc = XhtmlQuery.Parse(HtmlReport.Render(Report, Overlays));
        var grid = doc.All("table", "overlays").Single();
        Assert.Equal(["Image", .. SampleReport.Methods], grid.All("thead").Single().All("th").Select(th => th.Value));
        var rows = grid.All("tbody").Single().Elements().ToList();
        Assert.Equal(SampleReport.Images, rows.Select(r => r.Attr("data-image")));
        Assert.Equal(SampleReport.Images.Length * SampleReport.Methods.Length, grid.All("img").Count());
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Contains($"class {100 + i}", rows[i].All("th").Single().Value);
            foreach (var method in SampleReport.Methods)
            {
                var cell = rows[i].All("td").Single(td => td.Attr("data-method") == method);
                var png = Convert.FromBase64String(cell.All("img").Single().Attr("src")["data:image/png;base64,".Length..]);
                Assert.Equal(Overlays[(SampleReport.Images[i], method)], png);
                var r = Report.PerImage.Single(p => p.Image == SampleReport.Images[i] && p.Method == method);
                string caption = cell.All("figcaption").Single().Value;
                foreach (var part in new[]
                {
                    $"O {Pct(r.O)}", $"D {Pct(r.D)}", $"Com {Pct(r.Complexity)}", $"Coh {Pct(r.Coherency!.Value)}",
                    $"Del {Pct(SampleReport.Trapezoid(r.DeletionCurve!))}", $"Ins {Pct(SampleReport.Trapezoid(r.InsertionCurve!))}",
                })
                    Assert.Contains(part, caption);
                Assert.Equal(r.Road is not null, caption.Contains("ROAD "));
            }
        }
    }

    [Fact]
    public void Missing_overlays_are_marked_and_no_overlays_leaves_the_grid_out()
    {
        var partial = new Dictionary<(string Image, string Method), byte[]>(Overlays);
        partial.Remove((SampleReport.Images[1], SampleReport.Methods[2]));
        partial[(SampleReport.Images[2], SampleReport.Methods[0])] = [1, 2, 3, 4];
        var doc = XhtmlQuery.Parse(HtmlReport.Render(Report, partial));
        var grid = doc.All("table", "overlays").Single();
        Assert.Equal(7, grid.All("img").Count());
        var marks = grid.All("span", "no-overlay").Select(s => s.Value).ToList();
        Assert.Equal(2, marks.Count);
        Assert.All(marks, m => Assert.StartsWith("no overlay", m));

        foreach (var none in new[] { null, new Dictionary<(string Image, string Method), byte[]>() })
        {
            var page = XhtmlQuery.Parse(HtmlReport.Render(Report, none));
            Assert.Empty(page.All("table", "overlays"));
            Assert.Empty(page.All("img"));
            Assert.Single(page.All("p"), p => (string?)p.Attribute("id") == "overlays-note");
            Assert.Equal(2 * Report.Results.Count, page.All("svg", "curve").Count());
        }
    }

    /// <summary>The (x, y) points of an SVG path made of M and L commands.</summary>
    private static List<(double X, double Y)> PathPoints(string d)
    {
        var numbers = Regex.Matches(d, "-?[0-9]+(\\.[0-9]+)?").Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Matches("^M[0-9. ]+( L[0-9. ]+)*$", d);
        return Enumerable.Range(0, numbers.Count / 2).Select(i => (numbers[2 * i], numbers[2 * i + 1])).ToList();
    }
}
