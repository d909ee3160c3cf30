using NativeCam.Cam.Methods;
using NativeCam.Engine;

namespace NativeCam.Cam.Tests.Methods;

/// <summary>A field scaled per channel keeps its factors: its channel sum (one product per image) and its elements
/// must be those of the materialised product.</summary>
public class CamFieldTests
{
    private static double[] Random(int n, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => r.NextDouble() * 4 - 2).ToArray();
    }

    [Theory]
    [InlineData(1, 37, 5, 3)]
    [InlineData(3, 64, 7, 7)]
    public void ScaledFieldSumsItsChannelsAsThePlainProduct(int n, int c, int h, int w)
    {
        var a = Random(n * c * h * w, 1);
        var weights = Random(n * c, 2);
        var scaled = new CamField(a, n, c, h, w).ScaleChannels(weights);

        var product = new double[a.Length];
        var map = new double[n * h * w];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < c; k++)
                for (int p = 0; p < h * w; p++)
                {
                    double v = weights[i * c + k] * a[(i * c + k) * h * w + p];
                    product[(i * c + k) * h * w + p] = v;
                    map[i * h * w + p] += v;
                }
        var sum = scaled.SumChannels();
        Assert.Equal([n, h, w], sum.Shape);
        var actual = sum.ToArray();
        for (int q = 0; q < map.Length; q++) Assert.Equal(map[q], actual[q], 1e-12);
        Assert.Equal(product, scaled.Data); // the elements: each one product, exactly
        Assert.Equal(product, scaled.Tensor.ToArray());
        var means = scaled.ChannelMeans().ToArray();
        for (int q = 0; q < n * c; q++)
            Assert.Equal(Enumerable.Range(0, h * w).Average(p => product[q * h * w + p]), means[q], 1e-12);
    }
}
