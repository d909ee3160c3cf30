using NativeCam.Cli.Infrastructure;

namespace NativeCam.Cli.Tests.Infrastructure;

public class ProgressBarTests
{
    [Fact]
    public void WithoutATerminalEachStepIsOneLine()
    {
        var w = new StringWriter();
        var bar = new ProgressBar(w, 3, interactive: false);
        bar.Report(1, "a.png");
        bar.Message("error: b.png: broken");
        bar.Report(2, "b.png");
        bar.Report(3, "c.png");
        var lines = w.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("[1/3] a.png (elapsed ", lines[0]);
        Assert.Contains("ETA ", lines[0]);
        Assert.Equal("error: b.png: broken", lines[1]);
        Assert.EndsWith("ETA 0:00)", lines[3]);
        Assert.DoesNotContain('\r', w.ToString());
    }

    [Fact]
    public void OnATerminalTheBarIsRedrawnInPlace()
    {
        var w = new StringWriter();
        var bar = new ProgressBar(w, 2, interactive: true);
        bar.Report(1, "a-long-name.png");
        bar.Report(2, "b.png");
        var text = w.ToString();
        Assert.Equal(2, text.Count(c => c == '\r'));
        Assert.Contains("[############............] 1/2 ETA ", text);
        Assert.Contains("[########################] 2/2 ETA 0:00", text);
        Assert.EndsWith("\n", text); // the finished bar ends its line
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // the shorter second line is padded over the first
        var second = text[(text.LastIndexOf('\r') + 1)..].TrimEnd('\n');
        Assert.Equal(text[1..text.IndexOf('\r', 1)].Length, second.Length);
    }
}
