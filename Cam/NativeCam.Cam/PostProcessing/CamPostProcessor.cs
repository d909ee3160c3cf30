using NativeCam.Engine;
using NativeCam.Kernels;

namespace NativeCam.Cam.PostProcessing;

/// <summary>
/// The reference post-processing (shapleycam.md §4): per image ReLU, min-max (cam −= min; cam /= 1e-7 + max),
/// bilinear resize to the input size (OpenCV INTER_LINEAR: half-pixel centres, border replicate); then over the
/// layers: stack, ReLU, mean, min-max again (also with one layer). An all-zero map stays zero; NaN counts as 0.
/// Everything runs as float64 tensor ops on the maps' backend; the only transfer is the download of the final maps.
/// </summary>
public static class CamPostProcessor
{
    /// <summary>Final maps [N][H·W] in [0, 1] from per-layer maps [N, h, w] (before ReLU).</summary>
    public static float[][] Finalize(IReadOnlyList<Tensor> layerMaps, int height, int width)
    {
        var final = FinalizeOnDevice(layerMaps, height, width);
        int n = final.Shape[0], plane = height * width;
        var all = final.ToFloatArray();
        if (n == 1) return [all]; // one image: the download is its map
        var result = new float[n][];
        for (int i = 0; i < n; i++) result[i] = all[(i * plane)..((i + 1) * plane)];
        return result;
    }

    /// <summary>The final maps as a float64 tensor [N, H, W] on the maps' backend (nothing downloaded).</summary>
    public static Tensor FinalizeOnDevice(IReadOnlyList<Tensor> layerMaps, int height, int width)
    {
        if (layerMaps.Count == 0) throw new ArgumentException("no maps");
        int n = layerMaps[0].Shape[0];
        Tensor? sum = null;
        foreach (var m in layerMaps)
        {
            if (m.Rank != 3 || m.Shape[0] != n) throw new ArgumentException($"a map must be [N, h, w]; got [{string.Join(", ", m.Shape)}]");
            var up = ScaleLayer(m, height, width).Relu();
            sum = sum is null ? up : sum + up;
        }
        var mean = layerMaps.Count == 1 ? sum! : sum! / layerMaps.Count;
        return MinMax(mean);
    }

    /// <summary>One layer's maps [N, h, w]: ReLU, min-max per image, then resize to [N, outH, outW].</summary>
    public static Tensor ScaleLayer(Tensor cam, int outH, int outW) =>
        Resize(MinMax(cam.Value.ToDType(DType.Float64).Relu()), outH, outW);

    /// <summary>Per image of [N, h, w]: cam −= min; cam /= (1e-7 + max), so an all-zero map stays zero.</summary>
    public static Tensor MinMax(Tensor cam)
    {
        var shifted = cam - cam.Min([1, 2], keepDims: true);
        return shifted / (shifted.Max([1, 2], keepDims: true) + 1e-7);
    }

    /// <summary>OpenCV INTER_LINEAR resize of maps [N, h, w] (the engine's resize kernel).</summary>
    public static Tensor Resize(Tensor maps, int outH, int outW)
    {
        int n = maps.Shape[0], h = maps.Shape[1], w = maps.Shape[2];
        if (h == outH && w == outW) return maps;
        return maps.Reshape(n, 1, h, w).ResizeBilinear(outH, outW).Reshape(n, outH, outW);
    }

    /// <summary>OpenCV INTER_LINEAR resize of one host plane (the engine's resize kernel, in float64, on the CPU).</summary>
    public static double[] Resize(double[] plane, int h, int w, int outH, int outW) =>
        Resize(Tensor.FromArray(plane, [1, h, w]), outH, outW).ToArray();
}
