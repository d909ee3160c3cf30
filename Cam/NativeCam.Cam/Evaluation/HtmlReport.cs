using System.Text;

namespace NativeCam.Cam.Evaluation;

/// <summary>
/// A self-contained HTML page of an evaluation: settings, the metric table, the mean deletion and insertion curves as
/// inline SVG and a grid of overlays (images × methods). Nothing is loaded from outside the page: the style is inline
/// and the images are data: URIs. The markup is also well-formed XML, and every text taken from the report is escaped.
/// </summary>
public static class HtmlReport
{
    /// <summary>Renders the page.</summary>
    /// <param name="report">The evaluation (one shard of it or a whole run).</param>
    /// <param name="overlays">PNG bytes per (image, method) cell; null or partial when not available (e.g. after a
    /// merge of shards). Cells without one say "no overlay"; with none at all the grid is left out.</param>
    public static string Render(EvaluationReport report, IReadOnlyDictionary<(string Image, string Method), byte[]>? overlays)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(report.Results);
        ArgumentNullException.ThrowIfNull(report.PerImage);
        var html = new StringBuilder(1 << 16);
        string title = $"NativeCam evaluation — {report.Model}";
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
            .Append("<title>").Append(HtmlReportText.Encode(title)).Append("</title>\n")
            .Append("<style>\n").Append(HtmlReportStyle.Css).Append("\n</style>\n</head>\n<body>\n");
        AppendHeader(html, report, title);
        HtmlReportMetricTable.Append(html, report.Results);
        HtmlReportCurves.Append(html, report.Results);
        HtmlReportAttributionMetrics.Append(html, report.Results);
        HtmlReportOverlayGrid.Append(html, report, overlays);
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendHeader(StringBuilder html, EvaluationReport report, string title)
    {
        html.Append("<header>\n<h1>").Append(HtmlReportText.Encode(title)).Append("</h1>\n<dl class=\"settings\">\n");
        Setting(html, "Model", report.Model);
        Setting(html, "Layer", report.Layer);
        Setting(html, "Utility", report.Utility);
        Setting(html, "Images", HtmlReportText.Integer(report.Images));
        Setting(html, "Methods", string.Join(", ", report.Results.Select(r => r.Method)));
        html.Append("</dl>\n<p class=\"note\" id=\"scope\">")
            .Append(HtmlReportText.Encode(report.Shard is { } shard
                ? $"Shard {shard}: a partial result over this shard's images only; merge every shard for the figures of the whole dataset."
                : "Complete result: a whole run, or a merge of every shard with the figures recomputed from the per-image rows."))
            .Append("</p>\n</header>\n");
    }

    private static void Setting(StringBuilder html, string name, string? value) =>
        html.Append("<dt>").Append(HtmlReportText.Encode(name)).Append("</dt><dd>")
            .Append(value is null ? HtmlReportText.Missing : HtmlReportText.Encode(value)).Append("</dd>\n");
}
