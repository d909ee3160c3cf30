using NativeCam.Cam.Evaluation;

namespace NativeCam.Cam.Tests.Evaluation;

/// <summary>The overlay grid names each image's class by index and, when the rows carry one, by label (escaped).</summary>
public class HtmlReportLabelTests
{
    [Fact]
    public void RowsShowTheIndexWithItsLabel()
    {
        var report = SampleReport.Build();
        string[] labels = ["Egyptian cat", "tiger & <lion>", ""];
        var rows = report.PerImage.Select(r => r with { ClassName = labels[r.ClassIndex - 100] }).ToList();
        var labelled = report with { PerImage = rows };
        var doc = XhtmlQuery.Parse(HtmlReport.Render(labelled, SampleReport.Overlays()));
        var body = doc.All("table", "overlays").Single().All("tbody").Single().Elements().ToList();
        Assert.Equal("class 100 Egyptian cat", body[0].All("span").Single().Value);
        Assert.Equal("class 101 tiger & <lion>", body[1].All("span").Single().Value); // escaped in the markup, read back as text
        Assert.Equal("class 102", body[2].All("span").Single().Value); // an empty label shows the index alone
    }

    [Fact]
    public void TheLabelTravelsThroughTheJson()
    {
        var report = SampleReport.Build();
        var labelled = report with { PerImage = report.PerImage.Select(r => r with { ClassName = $"label {r.ClassIndex}" }).ToList() };
        var back = EvaluationReportJson.Deserialize(EvaluationReportJson.Serialize(labelled), "report.json");
        Assert.Equal(labelled.PerImage.Select(r => r.ClassName), back.PerImage.Select(r => r.ClassName));
        Assert.Contains("\"className\"", EvaluationReportJson.Serialize(labelled));
    }
}
