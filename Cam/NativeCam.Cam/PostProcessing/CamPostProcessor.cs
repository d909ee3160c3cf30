using NativeCam.Engine;
using NativeCam.Kernels;

namespace NativeCam.Cam.PostProcessing;

/// <summary>
/// The reference post-processing (shapleycam.md §4): per image ReLU, min-max (cam −= min; cam /= 1e-7 + max),
/// bilinear resize to the input size (OpenCV INTER_LINEAR); with several layers: stack, ReLU, mean, min-max again.
/// An all-zero map stays zero.
/// </summary>
public static class CamPostProcessor
{
    /// <summary>Final maps [N, H, W] in [0, 1] from per-layer maps [N, h, w] (before ReLU).</summary>
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
                var img = new double[h * w];
                Array.Copy(v, i * h * w, img, 0, h * w);
                for (int j = 0; j < img.Length; j++) img[j] = Math.Max(img[j], 0);
                MinMax(img);
                var up = Resize(img, h, w, height, width);
                for (int j = 0; j < up.Length; j++) sum[i][j] += Math.Max(up[j], 0);
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

    /// <summary>cam −= min; cam /= (1e-7 + max): an all-zero map stays zero.</summary>
    public static void MinMax(double[] cam)
    {
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
}
