using NativeCam.Benchmarks.VsOrt;

namespace NativeCam.Benchmarks.Tests;

public class AgreementTests
{
    [Fact]
    public void LargestDifferenceOverLargestReferenceMagnitude()
    {
        Assert.Equal(0, Agreement.MaxRelativeDifference([1, -2, 3], [1f, -2f, 3f]));
        // differences 0, 0.5, 7; largest |reference| 4
        Assert.Equal(7.0 / 4, Agreement.MaxRelativeDifference([1, 2.5, 3], [1f, 2f, -4f]), 15);
        Assert.Equal(0.5 / 4, Agreement.MaxRelativeDifference([1, 2.5, -4], [1f, 2f, -4f]), 15);
    }

    [Fact]
    public void BrokenOutputsNeverAgree()
    {
        Assert.Equal(double.PositiveInfinity, Agreement.MaxRelativeDifference([1, double.NaN], [1f, 2f]));
        Assert.Equal(double.PositiveInfinity, Agreement.MaxRelativeDifference([1, 2], [1f, float.PositiveInfinity]));
        Assert.Equal(double.PositiveInfinity, Agreement.MaxRelativeDifference([1, 2], [1f, 2f, 3f]));
        Assert.Equal(double.PositiveInfinity, Agreement.MaxRelativeDifference([], []));
        Assert.Equal(double.PositiveInfinity, Agreement.MaxRelativeDifference([1e-9], [0f]));
        Assert.Equal(0, Agreement.MaxRelativeDifference([0, 0], [0f, 0f]));
        Assert.False(Agreement.Agrees(double.PositiveInfinity, 1));
    }

    [Fact]
    public void ToleranceIsInclusive()
    {
        Assert.True(Agreement.Agrees(1e-3, 1e-3));
        Assert.False(Agreement.Agrees(1.0001e-3, 1e-3));
        Assert.True(Agreement.Agrees(0, 0));
    }
}
