namespace NativeCam.Cam.Evaluation;

/// <summary>The report's inline style sheet (the page loads nothing from outside).</summary>
internal static class HtmlReportStyle
{
    /// <summary>CSS placed in the page's &lt;style&gt; element.</summary>
    public const string Css = """
        body { font-family: system-ui, sans-serif; margin: 24px; color: #1d2433; background: #fff; }
        h1 { font-size: 22px; margin: 0 0 8px; }
        h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #d5dae3; padding-bottom: 4px; }
        dl.settings { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; margin: 8px 0; }
        dl.settings dt { font-weight: 600; }
        dl.settings dd { margin: 0; font-family: ui-monospace, monospace; }
        p.note { color: #555e70; margin: 6px 0; }
        table { border-collapse: collapse; }
        table.metrics th, table.metrics td { border: 1px solid #d5dae3; padding: 4px 10px; text-align: right; }
        table.metrics th:first-child, table.metrics td:first-child { text-align: left; }
        table.metrics thead th { background: #eef1f6; }
        td.best { background: #d8f3dc; font-weight: 700; }
        div.curves { display: flex; flex-wrap: wrap; gap: 12px; }
        div.curve-pair { border: 1px solid #e3e7ee; padding: 6px; border-radius: 4px; max-width: 660px; }
        div.curve-pair h3 { font-size: 14px; margin: 2px 4px 6px; word-break: break-all; }
        div.curve-row { display: flex; gap: 8px; }
        svg.curve { background: #fbfcfe; }
        svg.curve .axis { stroke: #333; stroke-width: 1; }
        svg.curve .grid { stroke: #e3e7ee; stroke-width: 1; }
        svg.curve .tick { font-size: 10px; fill: #333; }
        svg.curve .label { font-size: 11px; fill: #333; }
        svg.curve .title { font-size: 12px; font-weight: 600; fill: #1d2433; }
        svg.curve .line { fill: none; stroke-width: 2; }
        svg.curve[data-kind="deletion"] .line { stroke: #c0392b; }
        svg.curve[data-kind="insertion"] .line { stroke: #2462c0; }
        table.overlays th, table.overlays td { border: 1px solid #d5dae3; padding: 6px; vertical-align: top; }
        table.overlays th.image { text-align: left; max-width: 180px; word-break: break-all; }
        table.overlays figure { margin: 0; width: 200px; }
        table.overlays img { display: block; width: 200px; height: auto; }
        table.overlays figcaption { font-size: 11px; color: #333; margin-top: 4px; }
        span.no-overlay { display: block; width: 200px; padding: 40px 0; text-align: center; color: #8a93a6; background: #f3f5f9; }
        span.class { display: block; font-weight: 400; color: #555e70; }
        """;
}
