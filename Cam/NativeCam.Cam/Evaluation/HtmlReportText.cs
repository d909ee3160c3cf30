using System.Globalization;
using System.Text;

namespace NativeCam.Cam.Evaluation;

/// <summary>Escaping and number formatting shared by the parts of the HTML report.</summary>
internal static class HtmlReportText
{
    /// <summary>Shown in place of a missing or non-finite value.</summary>
    public const string Missing = "—";

    /// <summary>
    /// Text made safe for element content and quoted attribute values (the output is also well-formed XML):
    /// the five markup characters become entities and characters XML forbids (controls, lone surrogates) become U+FFFD.
    /// </summary>
    public static string Encode(string? text)
    {
        if (string.IsNullOrEmpty(text)) return string.Empty;
        var sb = new StringBuilder(text.Length + 16);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        sb.Append(c).Append(text[++i]);
                    }
                    else if (char.IsSurrogate(c) || (c < ' ' && c is not ('\t' or '\n' or '\r')) || c is '\uFFFE' or '\uFFFF')
                    {
                        sb.Append('\uFFFD');
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>A fraction shown in percent with two decimals ("12.34"), or "—" when null or not finite.</summary>
    public static string Percent(double? fraction) =>
        fraction is { } f && double.IsFinite(f) ? (f * 100).ToString("F2", CultureInfo.InvariantCulture) : Missing;

    /// <summary>Seconds with three decimals, or "—" when null or not finite.</summary>
    public static string Seconds(double? seconds) =>
        seconds is { } s && double.IsFinite(s) ? s.ToString("F3", CultureInfo.InvariantCulture) : Missing;

    /// <summary>A coordinate for SVG attributes (invariant culture, two decimals).</summary>
    public static string Coordinate(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>An integer in invariant culture.</summary>
    public static string Integer(int value) => value.ToString(CultureInfo.InvariantCulture);
}
