using NativeCam.Cam.Metrics;

namespace NativeCam.Cam.Tests.Metrics;

public class MetricsSummaryTests
{
    [Fact]
    public void AdccIsTheHarmonicMeanOfTheThreeTerms()
    {
        Assert.Equal(0.5, MetricsSummary.AdccOf(0.5, 0.5, 0.5), 12);
        double coh = 0.8, com = 0.3, ad = 0.25;
        Assert.Equal(3 / (1 / coh + 1 / (1 - com) + 1 / (1 - ad)), MetricsSummary.AdccOf(coh, com, ad), 12);
        Assert.Equal(1, MetricsSummary.AdccOf(1, 0, 0), 12);
        Assert.Equal(0, MetricsSummary.AdccOf(0.9, 0.2, 1));
        Assert.True(double.IsNaN(MetricsSummary.AdccOf(double.NaN, 0.2, 0.1)));
    }

    [Fact]
    public void AveragesRecordsAndBuildsAdccFromTheAverages()
    {
        ImageMetrics[] records =
        [
            new(1, Y: 0.8, O: 0.4, D: 0.2, Complexity: 0.3, Coherency: 0.9),
            new(0, Y: 0.5, O: 0.6, D: 0.5, Complexity: 0.5, Coherency: 0.7),
            new(1, Y: 0.4, O: 0.1, D: 0.6, Complexity: 0.1, Coherency: null),
        ];
        var s = MetricsSummary.Aggregate(records);
        // drops: (0.8−0.4)/0.8 = 0.5, 0, (0.4−0.1)/0.4 = 0.75; deletion drops: 0.75, 0, 0
        double ad = (0.5 + 0 + 0.75) / 3, add = 0.75 / 3, com = 0.9 / 3, coh = 1.6 / 2;
        Assert.Equal(3, s.Count);
        Assert.Equal(ad, s.AverageDrop, 12);
        Assert.Equal(1.0 / 3, s.IncreaseInConfidence, 12);
        Assert.Equal(add, s.AverageDropInDeletion, 12);
        Assert.Equal(com, s.Complexity, 12);
        Assert.Equal(coh, s.Coherency, 12);
        Assert.Equal(3 / (1 / coh + 1 / (1 - com) + 1 / (1 - ad)), s.Adcc, 12);
    }

    [Fact]
    public void EmptyDatasetIsNaN()
    {
        var s = MetricsSummary.Aggregate([]);
        Assert.Equal(0, s.Count);
        Assert.True(double.IsNaN(s.AverageDrop) && double.IsNaN(s.Adcc));
    }
}
