using System.Globalization;
using System.Text;

namespace NativeCam.Cam.Evaluation;

/// <summary>
/// One section per attribution metric computed: ARCC, faithfulness correlation, monotonicity (a table of one figure
/// per method each), model randomisation (mean Spearman ρ and SSIM per number of randomised layers) and random logit.
/// Sections whose metric no method has are left out.
/// </summary>
internal static class HtmlReportAttributionMetrics
{
    /// <summary>Appends the sections of the metrics computed.</summary>
    public static void Append(StringBuilder html, IReadOnlyList<MethodSummary> results)
    {
        Single(html, results, "arcc", "ARCC",
            "pytorch-grad-cam 1.5.5's ARCC per image, averaged: its code's harmonic mean (the docstring says geometric) of coherency, 1 − complexity and clip(2·ROAD, 0, 1). In percent, higher is better.",
            a => a.Arcc, HtmlReportText.Percent);
        Single(html, results, "faithfulness-correlation", "Faithfulness correlation",
            "Bhatt et al. as Quantus defines it: Pearson's correlation, over random pixel subsets set to min(x), between the subset's attribution sum and the drop of the class logit; mean over images. From −1 to 1, higher is better.",
            a => a.FaithfulnessCorrelation, Fixed);
        Single(html, results, "monotonicity", "Monotonicity",
            "Arya et al. as Quantus defines it: share of images whose class probability never decreases while pixels are inserted into a min(x) image in ascending order of attribution. In percent, higher is better.",
            a => a.Monotonicity, HtmlReportText.Percent);
        Randomization(html, results);
        Single(html, results, "random-logit", "Random-logit sanity check",
            "Adebayo et al.'s data check as Quantus' random logit: SSIM between the map of the explained class and that of a random other class; mean over images. Lower means the map depends on the class.",
            a => a.RandomLogitSsim, Fixed);
    }

    private static string Fixed(double? v) =>
        v is { } x && double.IsFinite(x) ? x.ToString("F3", CultureInfo.InvariantCulture) : HtmlReportText.Missing;

    private static void Single(StringBuilder html, IReadOnlyList<MethodSummary> results, string id, string title, string note,
        Func<AttributionSummary, double?> value, Func<double?, string> format)
    {
        var rows = results.Where(r => r.Attribution is { } a && value(a) is not null).ToList();
        if (rows.Count == 0) return;
        html.Append("<section id=\"").Append(id).Append("\">\n<h2>").Append(HtmlReportText.Encode(title)).Append("</h2>\n")
            .Append("<p class=\"note\">").Append(HtmlReportText.Encode(note)).Append("</p>\n")
            .Append("<table class=\"metrics\">\n<thead>\n<tr><th scope=\"col\">Method</th><th scope=\"col\">")
            .Append(HtmlReportText.Encode(title)).Append("</th></tr>\n</thead>\n<tbody>\n");
        foreach (var r in rows)
            html.Append("<tr data-method=\"").Append(HtmlReportText.Encode(r.Method)).Append("\"><th scope=\"row\">")
                .Append(HtmlReportText.Encode(r.Method)).Append("</th><td>").Append(HtmlReportText.Encode(format(value(r.Attribution!))))
                .Append("</td></tr>\n");
        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void Randomization(StringBuilder html, IReadOnlyList<MethodSummary> results)
    {
        var rows = results.Where(r => r.Attribution?.RandomizationSpearman is { Length: > 0 }).ToList();
        if (rows.Count == 0) return;
        int depth = rows.Max(r => r.Attribution!.RandomizationSpearman!.Length);
        html.Append("<section id=\"model-randomization\">\n<h2>Model-randomisation sanity check</h2>\n")
            .Append("<p class=\"note\">")
            .Append(HtmlReportText.Encode("Adebayo et al.'s cascading randomisation: the weights of the top k layers are re-drawn and the method re-run for the same class; each cell is the mean over images of Spearman's ρ / SSIM between that map and the original. A map that depends on the model falls towards 0 as k grows."))
            .Append("</p>\n<table class=\"metrics\">\n<thead>\n<tr><th scope=\"col\">Method</th>");
        for (int k = 1; k <= depth; k++)
            html.Append("<th scope=\"col\">top ").Append(HtmlReportText.Integer(k)).Append("</th>");
        html.Append("</tr>\n</thead>\n<tbody>\n");
        foreach (var r in rows)
        {
            var a = r.Attribution!;
            html.Append("<tr data-method=\"").Append(HtmlReportText.Encode(r.Method)).Append("\"><th scope=\"row\">")
                .Append(HtmlReportText.Encode(r.Method)).Append("</th>");
            for (int k = 0; k < depth; k++)
            {
                string rho = k < a.RandomizationSpearman!.Length ? Fixed(a.RandomizationSpearman[k]) : HtmlReportText.Missing;
                string ssim = a.RandomizationSsim is { } s && k < s.Length ? Fixed(s[k]) : HtmlReportText.Missing;
                html.Append("<td>").Append(HtmlReportText.Encode($"{rho} / {ssim}")).Append("</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n</section>\n");
    }
}
