using NativeCam.Engine;

namespace NativeCam.Cam.PostProcessing;

/// <summary>
/// The reference post-processing (shapleycam.md §4): per image ReLU, min-max (cam −= min; cam /= 1e-7 + max),
/// bilinear resize to the input size (OpenCV INTER_LINEAR: half-pixel centres, border replicate); then over the
/// layers: stack, ReLU, mean, min-max again (also with one layer). An all-zero map stays zero; NaN counts as 0.
/// </summary>
public static class CamPostProcessor
{
    /// <summary>Final maps [N][H·W] in [0, 1] from per-layer maps [N, h, w] (before ReLU).</summary>
    public static float[][] Finalize(IReadOnlyList<Tensor> layerMaps, int height, int width)
    {
        if (layerMaps.Count == 0) throw new ArgumentException("no maps");
        int n = layerMaps[0].Shape[0];
        var sum = new double[n][];
        for (int i = 0; i < n; i++) sum[i] = new double[height * width];
        foreach (var m in layerMaps)
        {
            if (m.Rank != 3 || m.Shape[0] != n) throw new ArgumentException($"a map must be [N, h, w]; got [{string.Join(", ", m.Shape)}]");
            int h = m.Shape[1], w = m.Shape[2];
            var v = m.ToArray();
            for (int i = 0; i < n; i++)
            {
                var up = ScaleLayer(v.AsSpan(i * h * w, h * w), h, w, height, width);
                for (int j = 0; j < up.Length; j++) sum[i][j] += Relu(up[j]);
            }
        }
        var result = new float[n][];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < sum[i].Length; j++) sum[i][j] /= layerMaps.Count;
            MinMax(sum[i]);
            result[i] = Array.ConvertAll(sum[i], v => (float)v);
        }
        return result;
    }

    /// <summary>One layer's map of one image: ReLU, min-max, then resize to <paramref name="outH"/>×<paramref name="outW"/>.</summary>
    public static double[] ScaleLayer(ReadOnlySpan<double> cam, int h, int w, int outH, int outW)
    {
        var img = new double[h * w];
        for (int j = 0; j < img.Length; j++) img[j] = Relu(cam[j]);
        MinMax(img);
        return Resize(img, h, w, outH, outW);
    }

    /// <summary>cam −= min; cam /= (1e-7 + max): an all-zero map stays zero.</summary>
    public static void MinMax(double[] cam)
    {
        if (cam.Length == 0) return;
        double min = cam.Min();
        for (int j = 0; j < cam.Length; j++) cam[j] -= min;
        double max = cam.Max();
        for (int j = 0; j < cam.Length; j++) cam[j] /= 1e-7 + max;
    }

    /// <summary>OpenCV INTER_LINEAR resize of one plane (the engine's resize kernel, in float64).</summary>
    public static double[] Resize(double[] plane, int h, int w, int outH, int outW)
    {
        if (h == outH && w == outW) return (double[])plane.Clone();
        var t = Tensor.FromArray(plane, [1, 1, h, w]);
        return t.ResizeBilinear(outH, outW).ToArray();
    }

    /// <summary>max(x, 0), with NaN taken as 0.</summary>
    private static double Relu(double x) => x > 0 ? x : 0;
}
