using System.Xml;
using System.Xml.Linq;

namespace NativeCam.Cam.Tests.Evaluation;

/// <summary>Strict XML parsing of the report (any unclosed tag or raw markup character fails) and small queries on it.</summary>
internal static class XhtmlQuery
{
    /// <summary>Parses the page as XML, ignoring only the HTML5 doctype.</summary>
    public static XDocument Parse(string html)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(html), settings);
        return XDocument.Load(reader);
    }

    /// <summary>Descendants with this local name (HTML or SVG namespace).</summary>
    public static IEnumerable<XElement> All(this XContainer root, string name) =>
        root.Descendants().Where(e => e.Name.LocalName == name);

    /// <summary>Descendants with this local name whose class list holds <paramref name="cssClass"/>.</summary>
    public static IEnumerable<XElement> All(this XContainer root, string name, string cssClass) =>
        root.All(name).Where(e => e.HasClass(cssClass));

    /// <summary>Whether the element's class attribute lists <paramref name="cssClass"/>.</summary>
    public static bool HasClass(this XElement element, string cssClass) =>
        ((string?)element.Attribute("class") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(cssClass);

    /// <summary>An attribute's value; fails the test when missing.</summary>
    public static string Attr(this XElement element, string name) =>
        (string?)element.Attribute(name) ?? throw new Xunit.Sdk.XunitException($"<{element.Name.LocalName}> has no {name} attribute");

    /// <summary>A numeric attribute (invariant culture).</summary>
    public static double Number(this XElement element, string name) =>
        double.Parse(element.Attr(name), System.Globalization.CultureInfo.InvariantCulture);
}
