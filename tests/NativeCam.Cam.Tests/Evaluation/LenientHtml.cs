using System.Net;
using System.Text;

namespace NativeCam.Cam.Tests.Evaluation;

/// <summary>An element of a parsed HTML serialization: lower-case name, attributes (entities decoded), children.</summary>
internal sealed class HtmlNode(string name, Dictionary<string, string> attributes)
{
    public string Name { get; } = name;
    public Dictionary<string, string> Attributes { get; } = attributes;
    public List<object> Children { get; } = [];  // HtmlNode or string

    public IEnumerable<HtmlNode> Descendants() =>
        Children.OfType<HtmlNode>().SelectMany(c => new[] { c }.Concat(c.Descendants()));

    public IEnumerable<HtmlNode> All(string name) => Descendants().Where(d => d.Name == name);

    public IEnumerable<HtmlNode> All(string name, string cssClass) =>
        All(name).Where(d => d.Attributes.TryGetValue("class", out var c) && c.Split(' ').Contains(cssClass));

    /// <summary>The text a reader sees: every text node below, without style and script contents.</summary>
    public string Text()
    {
        var sb = new StringBuilder();
        foreach (var child in Children)
        {
            if (child is string s) sb.Append(s);
            else if (child is HtmlNode { Name: not ("style" or "script") } n) sb.Append(n.Text());
        }
        return sb.ToString();
    }
}

/// <summary>
/// A small tolerant parser for the HTML serialization a browser dumps (void elements without a slash, raw style and
/// script text, end tags that may close several open elements). Enough to inspect a DOM, not a general HTML parser.
/// </summary>
internal static class LenientHtml
{
    private static readonly HashSet<string> Void =
        ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];
    private static readonly HashSet<string> RawText = ["style", "script", "title", "textarea"];

    public static HtmlNode Parse(string html)
    {
        var root = new HtmlNode("#document", []);
        var open = new List<HtmlNode> { root };
        int i = 0;
        while (i < html.Length)
        {
            if (html[i] != '<')
            {
                int next = html.IndexOf('<', i);
                if (next < 0) next = html.Length;
                open[^1].Children.Add(WebUtility.HtmlDecode(html[i..next]));
                i = next;
            }
            else if (html.AsSpan(i).StartsWith("<!--"))
            {
                int end = html.IndexOf("-->", i, StringComparison.Ordinal);
                i = end < 0 ? html.Length : end + 3;
            }
            else if (html.AsSpan(i).StartsWith("<!") || html.AsSpan(i).StartsWith("<?"))
            {
                i = html.IndexOf('>', i) + 1;
            }
            else if (html.AsSpan(i).StartsWith("</"))
            {
                int end = html.IndexOf('>', i);
                string name = html[(i + 2)..end].Trim().ToLowerInvariant();
                int at = open.FindLastIndex(n => n.Name == name);
                if (at > 0) open.RemoveRange(at, open.Count - at);
                i = end + 1;
            }
            else
            {
                i = StartTag(html, i, open);
            }
        }
        return root;
    }

    private static int StartTag(string html, int i, List<HtmlNode> open)
    {
        int p = i + 1;
        while (p < html.Length && !char.IsWhiteSpace(html[p]) && html[p] is not ('>' or '/')) p++;
        string name = html[(i + 1)..p].ToLowerInvariant();
        var attributes = new Dictionary<string, string>();
        bool selfClosing = false;
        while (p < html.Length && html[p] != '>')
        {
            if (char.IsWhiteSpace(html[p])) { p++; continue; }
            if (html[p] == '/') { selfClosing = true; p++; continue; }
            int start = p;
            while (p < html.Length && !char.IsWhiteSpace(html[p]) && html[p] is not ('=' or '>' or '/')) p++;
            string attribute = html[start..p].ToLowerInvariant();
            string value = "";
            if (p < html.Length && html[p] == '=')
            {
                p++;
                if (html[p] is '"' or '\'')
                {
                    int close = html.IndexOf(html[p], p + 1);
                    value = html[(p + 1)..close];
                    p = close + 1;
                }
                else
                {
                    int vs = p;
                    while (p < html.Length && !char.IsWhiteSpace(html[p]) && html[p] != '>') p++;
                    value = html[vs..p];
                }
            }
            attributes[attribute] = WebUtility.HtmlDecode(value);
        }
        p++;
        var node = new HtmlNode(name, attributes);
        open[^1].Children.Add(node);
        if (RawText.Contains(name))
        {
            int close = html.IndexOf("</" + name, p, StringComparison.OrdinalIgnoreCase);
            if (close < 0) close = html.Length;
            string text = html[p..close];
            node.Children.Add(name is "style" or "script" ? text : WebUtility.HtmlDecode(text));
            int end = html.IndexOf('>', close);
            return end < 0 ? html.Length : end + 1;
        }
        if (!selfClosing && !Void.Contains(name)) open.Add(node);
        return p;
    }
}
