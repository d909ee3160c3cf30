namespace NativeCam.Cam.Images;

/// <summary>
/// A map shown through the guided-backpropagation gradient, pytorch-grad-cam's deprocess_image(cam ⊙ gb): the
/// product v = map·gb (per colour channel), standardised over the whole image, ·0.1 + 0.5, clipped to [0, 1] and
/// truncated to 8 bits.
/// </summary>
public static class GuidedOverlay
{
    /// <summary>The RGB image (width × height of the model input).</summary>
    /// <param name="map">The map [H·W] in [0, 1].</param>
    /// <param name="gradient">One image's guided gradient, [3, H, W] row-major.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    public static RgbImage Render(float[] map, double[] gradient, int height, int width)
    {
        int plane = height * width;
        if (map.Length != plane || gradient.Length != 3 * plane)
            throw new ArgumentException($"a guided overlay needs a map of {plane} and a gradient of {3 * plane} values; got {map.Length} and {gradient.Length}");
        var v = new double[3 * plane]; // HWC
        for (int q = 0; q < plane; q++)
            for (int c = 0; c < 3; c++) v[q * 3 + c] = map[q] * gradient[c * plane + q];
        double mean = v.Average();
        double std = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Length);
        var pixels = new byte[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            double t = Math.Clamp((v[i] - mean) / (std + 1e-5) * 0.1 + 0.5, 0, 1);
            pixels[i] = (byte)(t * 255);
        }
        return new RgbImage(width, height, pixels);
    }
}
