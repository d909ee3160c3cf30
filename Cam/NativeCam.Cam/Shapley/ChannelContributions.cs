using NativeCam.Cam.Probe;

namespace NativeCam.Cam.Shapley;

/// <summary>Per-channel contributions read from the probe's signals (the closed forms the sampled values are compared with).</summary>
public static class ChannelContributions
{
    /// <summary>
    /// ShapleyCAM's value of channel k: Σ_ij A·(g − ½·H·A), the Shapley value of the second-order Taylor game
    /// (additive over the channel's elements).
    /// </summary>
    public static double[] ShapleyCam(LayerSignals signals, int image)
    {
        var ha = signals.HessianTimesActivations
                 ?? throw new ArgumentException($"the signals of '{signals.Layer}' lack H·A; probe with withHvp: true");
        return Sum(signals, image, ha.ToArray(), -0.5);
    }

    /// <summary>The first-order (GradCAM/HiResCAM) value of channel k: Σ_ij A·g.</summary>
    public static double[] GradCam(LayerSignals signals, int image) => Sum(signals, image, null, 0);

    /// <summary>Σ_ij A·(g + s·extra) per channel of one image.</summary>
    private static double[] Sum(LayerSignals signals, int image, double[]? extra, double s)
    {
        var shape = signals.Activations.Shape;
        int c = shape[1], plane = shape[2] * shape[3];
        if ((uint)image >= (uint)shape[0]) throw new ArgumentOutOfRangeException(nameof(image), image, $"the probe holds {shape[0]} image(s)");
        var a = signals.Activations.ToArray();
        var g = signals.Gradients.ToArray();
        var result = new double[c];
        for (int k = 0; k < c; k++)
        {
            int offset = (image * c + k) * plane;
            double sum = 0;
            for (int q = offset; q < offset + plane; q++) sum += a[q] * (g[q] + (extra is null ? 0 : s * extra[q]));
            result[k] = sum;
        }
        return result;
    }
}
