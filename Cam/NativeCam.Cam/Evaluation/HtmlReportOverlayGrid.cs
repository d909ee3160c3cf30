using System.Text;
using NativeCam.Cam.Metrics;

namespace NativeCam.Cam.Evaluation;

/// <summary>
/// The overlay grid: one row per image (with its class index and, when the model has labels, its label), one column per method, each cell the overlay as a
/// data: PNG captioned with that image's scores under that method.
/// </summary>
internal static class HtmlReportOverlayGrid
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Appends the section; with no overlay for any cell only a note is written.</summary>
    public static void Append(StringBuilder html, EvaluationReport report, IReadOnlyDictionary<(string Image, string Method), byte[]>? overlays)
    {
        var rows = report.PerImage.Where(r => r is not null).ToList();
        var images = rows.Select(r => r.Image).Distinct(StringComparer.Ordinal).ToList();
        var methods = report.Results.Select(r => r.Method).Concat(rows.Select(r => r.Method)).Distinct(StringComparer.Ordinal).ToList();
        var cells = new Dictionary<(string, string), ImageResult>();
        foreach (var row in rows) cells.TryAdd((row.Image, row.Method), row);

        html.Append("<section id=\"overlays\">\n<h2>Overlays</h2>\n");
        bool any = overlays is not null && images.Any(i => methods.Any(m => overlays.ContainsKey((i, m))));
        if (!any)
        {
            html.Append("<p class=\"note\" id=\"overlays-note\">No overlays are available for this report (for example, results merged from shards), so the grid is left out.</p>\n</section>\n");
            return;
        }
        html.Append("<p class=\"note\">Scores in percent: y = p(x), O = p(x ⊙ m), D = p(x ⊙ (1 − m)), Com = complexity, Coh = coherency, Del/Ins = areas under the deletion and insertion curves.</p>\n")
            .Append("<table class=\"overlays\">\n<thead>\n<tr><th scope=\"col\">Image</th>");
        foreach (var method in methods)
            html.Append("<th scope=\"col\">").Append(HtmlReportText.Encode(method)).Append("</th>");
        html.Append("</tr>\n</thead>\n<tbody>\n");
        foreach (var image in images)
        {
            var classes = methods.Where(m => cells.ContainsKey((image, m))).Select(m => ClassText(cells[(image, m)])).Distinct().ToList();
            html.Append("<tr data-image=\"").Append(HtmlReportText.Encode(image)).Append("\"><th scope=\"row\" class=\"image\">")
                .Append(HtmlReportText.Encode(image)).Append("<span class=\"class\">")
                .Append(classes.Count == 1 ? "class " : "classes ")
                .Append(HtmlReportText.Encode(string.Join(", ", classes))).Append("</span></th>\n");
            foreach (var method in methods)
            {
                if (!cells.TryGetValue((image, method), out var result))
                {
                    html.Append("<td class=\"empty\">").Append(HtmlReportText.Missing).Append("</td>\n");
                    continue;
                }
                html.Append("<td data-method=\"").Append(HtmlReportText.Encode(method)).Append("\"><figure>");
                AppendImage(html, image, method, overlays!.TryGetValue((image, method), out var png) ? png : null);
                html.Append("<figcaption>").Append(HtmlReportText.Encode(Caption(result))).Append("</figcaption></figure></td>\n");
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n</section>\n");
    }

    /// <summary>"285 Egyptian cat" when the row has the label, else "285".</summary>
    private static string ClassText(ImageResult r) =>
        r.ClassName is { Length: > 0 } name ? $"{HtmlReportText.Integer(r.ClassIndex)} {name}" : HtmlReportText.Integer(r.ClassIndex);

    private static void AppendImage(StringBuilder html, string image, string method, byte[]? png)
    {
        if (png is null)
        {
            html.Append("<span class=\"no-overlay\">no overlay</span>");
        }
        else if (!png.AsSpan().StartsWith(PngSignature))
        {
            html.Append("<span class=\"no-overlay\">no overlay (the bytes are not a PNG)</span>");
        }
        else
        {
            html.Append("<img alt=\"").Append(HtmlReportText.Encode($"{method} on {image}")).Append("\" src=\"data:image/png;base64,")
                .Append(Convert.ToBase64String(png)).Append("\"/>");
        }
    }

    /// <summary>The cell's scores: always y, O, D and complexity; coherency, ROAD and the curve areas when present.</summary>
    private static string Caption(ImageResult r)
    {
        var parts = new List<string>
        {
            $"y {HtmlReportText.Percent(r.Y)}",
            $"O {HtmlReportText.Percent(r.O)}",
            $"D {HtmlReportText.Percent(r.D)}",
            $"Com {HtmlReportText.Percent(r.Complexity)}",
        };
        if (r.Coherency is { } coherency) parts.Add($"Coh {HtmlReportText.Percent(coherency)}");
        if (r.Road is { } road) parts.Add($"ROAD {HtmlReportText.Percent(road.Combined)}");
        if (r.DeletionCurve is { Length: >= 2 } deletion) parts.Add($"Del {HtmlReportText.Percent(PixelCurves.TrapezoidAuc(deletion))}");
        if (r.InsertionCurve is { Length: >= 2 } insertion) parts.Add($"Ins {HtmlReportText.Percent(PixelCurves.TrapezoidAuc(insertion))}");
        return string.Join(" · ", parts);
    }
}
