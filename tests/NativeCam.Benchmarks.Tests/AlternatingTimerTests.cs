using NativeCam.Benchmarks.VsOrt;

namespace NativeCam.Benchmarks.Tests;

public class AlternatingTimerTests
{
    [Fact]
    public void WarmupThenStrictAlternationForTheMinimumRuns()
    {
        var log = new List<char>();
        var (a, b) = AlternatingTimer.Measure(() => log.Add('a'), () => log.Add('b'), warmup: 2, minSeconds: 0, minRuns: 3);
        Assert.Equal("ababababab", new string([.. log]));
        Assert.Equal(3, a.Length);
        Assert.Equal(3, b.Length);
        Assert.All(a.Concat(b), t => Assert.True(t >= 0));
    }

    [Fact]
    public void KeepsGoingUntilTheMinimumTimeAndStopsAtTheMaximumRuns()
    {
        int runs = 0;
        var (a, b) = AlternatingTimer.Measure(() => Thread.Sleep(2), () => runs++, warmup: 0, minSeconds: 0.03, minRuns: 1);
        double total = a.Sum() + b.Sum();
        Assert.True(total >= 30, $"{a.Length} runs, {total} ms");
        Assert.True(total - a[^1] - b[^1] < 30, "stops with the first pair that reaches the minimum time");
        Assert.Equal(a.Length, runs);
        var (capped, _) = AlternatingTimer.Measure(() => { }, () => { }, warmup: 0, minSeconds: 3600, minRuns: 2, maxRuns: 4);
        Assert.Equal(4, capped.Length);
    }

    [Fact]
    public void RejectsImpossibleCounts()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AlternatingTimer.Measure(() => { }, () => { }, -1, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => AlternatingTimer.Measure(() => { }, () => { }, 0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => AlternatingTimer.Measure(() => { }, () => { }, 0, 0, 5, maxRuns: 4));
    }
}
