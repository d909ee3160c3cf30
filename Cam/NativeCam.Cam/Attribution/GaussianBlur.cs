namespace NativeCam.Cam.Attribution;

/// <summary>A separable Gaussian blur of CHW planes: kernel exp(−d²/2σ²) normalised, radius ⌈3σ⌉, borders replicated.</summary>
public static class GaussianBlur
{
    /// <summary>Each of the <paramref name="channels"/> planes of <paramref name="image"/> blurred.</summary>
    public static double[] Apply(double[] image, int channels, int height, int width, double sigma)
    {
        int radius = (int)Math.Ceiling(3 * sigma);
        var k = new double[2 * radius + 1];
        for (int d = -radius; d <= radius; d++) k[d + radius] = Math.Exp(-d * d / (2 * sigma * sigma));
        double total = k.Sum();
        for (int i = 0; i < k.Length; i++) k[i] /= total;
        int plane = height * width;
        var tmp = new double[image.Length];
        var result = new double[image.Length];
        for (int c = 0; c < channels; c++)
        {
            int o = c * plane;
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    double s = 0;
                    for (int d = -radius; d <= radius; d++) s += k[d + radius] * image[o + y * width + Math.Clamp(x + d, 0, width - 1)];
                    tmp[o + y * width + x] = s;
                }
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    double s = 0;
                    for (int d = -radius; d <= radius; d++) s += k[d + radius] * tmp[o + Math.Clamp(y + d, 0, height - 1) * width + x];
                    result[o + y * width + x] = s;
                }
        }
        return result;
    }
}
