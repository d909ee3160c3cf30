using NativeCam.Cam.Images;

namespace NativeCam.Cam.Tests.Images;

/// <summary>OpenCV's JET against its piecewise-linear definition r,g,b = clamp(1.5 − |4x − k|), k = 3, 2, 1.</summary>
public class JetColormapTests
{
    private static double Exact(int level, int k) => 255 * Math.Clamp(1.5 - Math.Abs(4.0 * level / 255 - k), 0, 1);

    [Fact]
    public void EveryEntryIsANearestIntegerOfTheDefinition()
    {
        for (int i = 0; i < 256; i++)
        {
            var (r, g, b) = JetColormap.Color((byte)i);
            Assert.True(Math.Abs(r - Exact(i, 3)) <= 0.5 + 1e-9, $"r[{i}] = {r}, exact {Exact(i, 3)}");
            Assert.True(Math.Abs(g - Exact(i, 2)) <= 0.5 + 1e-9, $"g[{i}] = {g}, exact {Exact(i, 2)}");
            Assert.True(Math.Abs(b - Exact(i, 1)) <= 0.5 + 1e-9, $"b[{i}] = {b}, exact {Exact(i, 1)}");
        }
    }

    [Fact]
    public void TiesRoundHalfToEvenExceptWhereFloat32Decides()
    {
        // unsaturated entries are exact ties n + ½; OpenCV's float32 path rounds them to even except for one level
        int odd = 0;
        for (int i = 0; i < 256; i++)
        {
            var (r, g, b) = JetColormap.Color((byte)i);
            foreach (var (v, k) in new[] { (r, 3), (g, 2), (b, 1) })
            {
                double e = Exact(i, k);
                if (e > 0 && e < 255 && Math.Abs(e - Math.Floor(e) - 0.5) < 1e-9 && v % 2 == 1) odd++;
            }
        }
        Assert.Equal(1, odd);
        Assert.Equal(1, JetColormap.Color(159).B); // 255·b = 1.5 exactly; float32 makes it 1.4999…
    }

    [Fact]
    public void SpotChecksFromTheFormula()
    {
        Assert.Equal(((byte)0, (byte)0, (byte)128), JetColormap.Color(0));      // b = 0.5 → 127.5 → 128 (even)
        Assert.Equal(((byte)128, (byte)0, (byte)0), JetColormap.Color(255));    // r = 0.5
        Assert.Equal(((byte)0, (byte)0, (byte)255), JetColormap.Color(32));     // b = 1.5 − |128/255 − 1| > 1: saturated
        Assert.Equal((byte)255, JetColormap.Color(127).G);                      // the green plateau around x = 0.5
        Assert.Equal((byte)255, JetColormap.Color(200).R);                      // the red plateau from x = 0.625 to 0.875
        Assert.Equal((byte)0, JetColormap.Color(200).B);
    }
}
