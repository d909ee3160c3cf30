using NativeCam.Cli.Tests.Support;

namespace NativeCam.Cli.Tests;

/// <summary>`bench --batch N`: every workload on N images, images/s = N over the median seconds.</summary>
public class BenchBatchTests
{
    [Fact]
    public void ImagesPerSecondFollowFromTheBatchAndTheMedians()
    {
        var (code, stdout, stderr) = Tool.Run("bench", "--batch", "2", "--json", "--threads", "1", "--min-seconds", "0", "--min-runs", "1");
        Assert.True(code == 0, stderr + stdout);
        var doc = Tool.Json(stdout);
        Assert.Equal(2, doc.GetProperty("batch").GetInt32());
        var ips = doc.GetProperty("imagesPerSecond");
        foreach (var (key, name) in new[] { ("forwardMs", "forward"), ("gradcamMs", "gradcam"), ("shapleycamMs", "shapleycam"), ("fullHvpMs", "fullHvp") })
        {
            double median = doc.GetProperty(key).GetProperty("median").GetDouble();
            Assert.Equal(2 / (median * 1e-3), ips.GetProperty(name).GetDouble(), 1e-9 * ips.GetProperty(name).GetDouble());
        }
    }

    [Fact]
    public void ABadBatchIsAUsageError()
    {
        var (code, _, stderr) = Tool.Run("bench", "--batch", "0", "--min-seconds", "0", "--min-runs", "1");
        Assert.True(code == 2, stderr);
    }
}
