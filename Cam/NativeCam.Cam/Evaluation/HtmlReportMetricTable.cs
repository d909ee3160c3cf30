using System.Text;

namespace NativeCam.Cam.Evaluation;

/// <summary>The metric table: one row per method, every figure in percent except seconds per image, best value per column marked.</summary>
internal static class HtmlReportMetricTable
{
    /// <summary>One column: its heading, its description, whether lower is better, the value and how it is shown.</summary>
    private sealed record Column(string Heading, string Description, bool LowerIsBetter, Func<MethodSummary, double?> Value, Func<double?, string> Format);

    private static readonly Column[] Columns =
    [
        new("AD", "Average Drop: mean of max(0, y − o)/y", true, r => r.AverageDrop, HtmlReportText.Percent),
        new("IC", "Increase in Confidence: share of images with o > y", false, r => r.IncreaseInConfidence, HtmlReportText.Percent),
        new("ADD", "Average Drop in Deletion: mean of max(0, y − d)/y", false, r => r.AverageDropInDeletion, HtmlReportText.Percent),
        new("Coh", "Coherency: (pearson(m, m′) + 1)/2", false, r => r.Coherency, HtmlReportText.Percent),
        new("Com", "Complexity: mean |m|", true, r => r.Complexity, HtmlReportText.Percent),
        new("ADCC", "ADCC: harmonic mean of Coh, 1 − Com and 1 − AD", false, r => r.Adcc, HtmlReportText.Percent),
        new("ROAD", "ROAD combined: mean over percentiles of (LeRF − MoRF)/2", false, r => r.RoadCombined, HtmlReportText.Percent),
        new("Deletion AUC", "Area under the mean deletion curve", true, r => r.DeletionAuc, HtmlReportText.Percent),
        new("Insertion AUC", "Area under the mean insertion curve", false, r => r.InsertionAuc, HtmlReportText.Percent),
        new("s/image", "Wall seconds per image (CAM and scoring)", true, r => r.SecondsPerImage, HtmlReportText.Seconds),
    ];

    /// <summary>Appends the section with the table.</summary>
    public static void Append(StringBuilder html, IReadOnlyList<MethodSummary> results)
    {
        html.Append("<section id=\"metrics\">\n<h2>Metrics</h2>\n")
            .Append("<p class=\"note\">In percent (seconds for s/image); ↓ lower is better, ↑ higher is better; the best value of each column is highlighted.</p>\n")
            .Append("<table class=\"metrics\">\n<thead>\n<tr><th scope=\"col\">Method</th>");
        foreach (var column in Columns)
        {
            html.Append("<th scope=\"col\" title=\"").Append(HtmlReportText.Encode(column.Description)).Append("\">")
                .Append(HtmlReportText.Encode(column.Heading)).Append(column.LowerIsBetter ? " ↓" : " ↑").Append("</th>");
        }
        html.Append("</tr>\n</thead>\n<tbody>\n");
        var best = Columns.Select(c => Best(results, c)).ToArray();
        foreach (var result in results)
        {
            html.Append("<tr data-method=\"").Append(HtmlReportText.Encode(result.Method)).Append("\"><th scope=\"row\">")
                .Append(HtmlReportText.Encode(result.Method)).Append("</th>");
            for (int c = 0; c < Columns.Length; c++)
            {
                double? value = Columns[c].Value(result);
                bool isBest = best[c] is { } b && value is { } v && double.IsFinite(v) && v == b;
                html.Append(isBest ? "<td class=\"best\">" : "<td>").Append(HtmlReportText.Encode(Columns[c].Format(value))).Append("</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n</section>\n");
    }

    /// <summary>The best finite value of a column (lowest or highest), or null when the column has none.</summary>
    private static double? Best(IReadOnlyList<MethodSummary> results, Column column)
    {
        double? best = null;
        foreach (var result in results)
        {
            if (column.Value(result) is not { } v || !double.IsFinite(v)) continue;
            if (best is not { } b || (column.LowerIsBetter ? v < b : v > b)) best = v;
        }
        return best;
    }
}
