using System.Globalization;
using System.Text;

namespace NativeCam.Cam.Evaluation;

/// <summary>
/// The mean deletion and insertion curves as inline SVG: one chart per method and kind, x = fraction of pixels
/// deleted or inserted (curve point k of n at k/(n − 1)), y = probability of the explained class, both over [0,1].
/// </summary>
internal static class HtmlReportCurves
{
    private const double Width = 320, Height = 230;
    private const double Left = 46, Right = 14, Top = 30, Bottom = 44;
    private const double PlotWidth = Width - Left - Right, PlotHeight = Height - Top - Bottom;
    private static readonly double[] Ticks = [0, 0.2, 0.4, 0.6, 0.8, 1];

    /// <summary>Appends the section (left out when no method has a curve).</summary>
    public static void Append(StringBuilder html, IReadOnlyList<MethodSummary> results)
    {
        if (!results.Any(r => HasPoints(r.MeanDeletionCurve) || HasPoints(r.MeanInsertionCurve))) return;
        html.Append("<section id=\"curves\">\n<h2>Deletion and insertion curves</h2>\n")
            .Append("<p class=\"note\">Mean over the images of the class probability while the most relevant pixels are deleted (lower is better) or inserted into a blank image (higher is better).</p>\n")
            .Append("<div class=\"curves\">\n");
        foreach (var result in results)
        {
            if (!HasPoints(result.MeanDeletionCurve) && !HasPoints(result.MeanInsertionCurve)) continue;
            html.Append("<div class=\"curve-pair\" data-method=\"").Append(HtmlReportText.Encode(result.Method)).Append("\">\n<h3>")
                .Append(HtmlReportText.Encode(result.Method)).Append("</h3>\n<div class=\"curve-row\">\n");
            if (HasPoints(result.MeanDeletionCurve)) AppendChart(html, result.Method, "deletion", result.MeanDeletionCurve!, result.DeletionAuc);
            if (HasPoints(result.MeanInsertionCurve)) AppendChart(html, result.Method, "insertion", result.MeanInsertionCurve!, result.InsertionAuc);
            html.Append("</div>\n</div>\n");
        }
        html.Append("</div>\n</section>\n");
    }

    private static bool HasPoints(double[]? curve) => curve is { Length: > 0 };

    private static void AppendChart(StringBuilder html, string method, string kind, double[] curve, double? auc)
    {
        // The visible title stays short (the method heads the pair); the tooltip names the method too.
        string title = $"{kind} (AUC {Auc(auc)})";
        string m = HtmlReportText.Encode(method);
        html.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"curve\" role=\"img\" width=\"").Append(HtmlReportText.Coordinate(Width))
            .Append("\" height=\"").Append(HtmlReportText.Coordinate(Height)).Append("\" viewBox=\"0 0 ")
            .Append(HtmlReportText.Coordinate(Width)).Append(' ').Append(HtmlReportText.Coordinate(Height))
            .Append("\" data-method=\"").Append(m).Append("\" data-kind=\"").Append(kind)
            .Append("\" data-points=\"").Append(HtmlReportText.Integer(curve.Length)).Append('"');
        if (auc is { } a && double.IsFinite(a)) html.Append(" data-auc=\"").Append(a.ToString("R", CultureInfo.InvariantCulture)).Append('"');
        html.Append(">\n<title>").Append(HtmlReportText.Encode($"{method} — {title}")).Append("</title>\n")
            .Append("<text class=\"title\" x=\"").Append(HtmlReportText.Coordinate(Left)).Append("\" y=\"18\">")
            .Append(HtmlReportText.Encode(title)).Append("</text>\n");
        AppendAxes(html, kind);
        AppendLine(html, curve);
        html.Append("</svg>\n");
    }

    private static string Auc(double? auc) =>
        auc is { } a && double.IsFinite(a) ? HtmlReportText.Percent(a) + "%" : HtmlReportText.Missing;

    /// <summary>Grid lines, both axes, ticks at 0, 0.2, …, 1 and the axis labels.</summary>
    private static void AppendAxes(StringBuilder html, string kind)
    {
        foreach (double t in Ticks)
        {
            string x = HtmlReportText.Coordinate(X(t)), y = HtmlReportText.Coordinate(Y(t));
            string label = t.ToString("0.#", CultureInfo.InvariantCulture);
            if (t > 0)
            {
                Line(html, "grid", X(t), Top, X(t), Top + PlotHeight);
                Line(html, "grid", Left, Y(t), Left + PlotWidth, Y(t));
            }
            Line(html, "axis", X(t), Top + PlotHeight, X(t), Top + PlotHeight + 4);
            Line(html, "axis", Left - 4, Y(t), Left, Y(t));
            html.Append("<text class=\"tick\" x=\"").Append(x).Append("\" y=\"").Append(HtmlReportText.Coordinate(Top + PlotHeight + 15))
                .Append("\" text-anchor=\"middle\">").Append(label).Append("</text>\n")
                .Append("<text class=\"tick\" x=\"").Append(HtmlReportText.Coordinate(Left - 7)).Append("\" y=\"").Append(HtmlReportText.Coordinate(Y(t) + 3.5))
                .Append("\" text-anchor=\"end\">").Append(label).Append("</text>\n");
        }
        Line(html, "axis", Left, Top + PlotHeight, Left + PlotWidth, Top + PlotHeight);
        Line(html, "axis", Left, Top, Left, Top + PlotHeight);
        html.Append("<text class=\"label\" x=\"").Append(HtmlReportText.Coordinate(Left + PlotWidth / 2)).Append("\" y=\"")
            .Append(HtmlReportText.Coordinate(Height - 8)).Append("\" text-anchor=\"middle\">fraction of pixels ")
            .Append(kind == "deletion" ? "deleted" : "inserted").Append("</text>\n")
            .Append("<text class=\"label\" x=\"12\" y=\"").Append(HtmlReportText.Coordinate(Top + PlotHeight / 2))
            .Append("\" text-anchor=\"middle\" transform=\"rotate(-90 12 ").Append(HtmlReportText.Coordinate(Top + PlotHeight / 2))
            .Append(")\">probability</text>\n");
    }

    /// <summary>The curve as one path; non-finite points break it, values are clamped to [0,1].</summary>
    private static void AppendLine(StringBuilder html, double[] curve)
    {
        var d = new StringBuilder();
        bool pen = false;
        for (int k = 0; k < curve.Length; k++)
        {
            if (!double.IsFinite(curve[k])) { pen = false; continue; }
            double x = curve.Length == 1 ? 0 : (double)k / (curve.Length - 1);
            d.Append(pen ? " L" : (d.Length == 0 ? "M" : " M")).Append(HtmlReportText.Coordinate(X(x))).Append(' ')
             .Append(HtmlReportText.Coordinate(Y(Math.Clamp(curve[k], 0, 1))));
            pen = true;
        }
        if (d.Length == 0) return;
        if (curve.Length == 1) d.Append(" h1");
        html.Append("<path class=\"line\" d=\"").Append(d).Append("\"/>\n");
    }

    private static void Line(StringBuilder html, string cssClass, double x1, double y1, double x2, double y2) =>
        html.Append("<line class=\"").Append(cssClass).Append("\" x1=\"").Append(HtmlReportText.Coordinate(x1))
            .Append("\" y1=\"").Append(HtmlReportText.Coordinate(y1)).Append("\" x2=\"").Append(HtmlReportText.Coordinate(x2))
            .Append("\" y2=\"").Append(HtmlReportText.Coordinate(y2)).Append("\"/>\n");

    private static double X(double fraction) => Left + fraction * PlotWidth;

    private static double Y(double probability) => Top + (1 - probability) * PlotHeight;
}
