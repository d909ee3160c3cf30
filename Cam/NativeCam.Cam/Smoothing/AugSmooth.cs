using NativeCam.Engine;

namespace NativeCam.Cam.Smoothing;

/// <summary>
/// Aug-smooth as in the reference library (pytorch-grad-cam's test-time augmentation): every combination of
/// {no flip, horizontal flip} × {0.9, 1.0, 1.1} multiplying the (normalised) input; each augmented input is explained
/// fully (final maps), the maps are flipped back and averaged (no further normalisation).
/// </summary>
public static class AugSmooth
{
    /// <summary>The multiplication factors (ttach's Multiply as the library configures it).</summary>
    public static IReadOnlyList<double> Factors { get; } = [0.9, 1.0, 1.1];

    /// <summary>The augmentations, (flip, factor), in the library's order.</summary>
    public static IReadOnlyList<(bool Flip, double Factor)> Transforms { get; } =
        [.. new[] { false, true }.SelectMany(f => Factors.Select(m => (f, m)))];

    /// <summary>x flipped along its last axis (when asked) and multiplied by the factor.</summary>
    public static Tensor Augment(Tensor x, bool flip, double factor)
    {
        var t = flip ? FlipLastAxis(x) : x;
        return factor == 1.0 ? t : t * factor;
    }

    /// <summary>Undoes the flip of a row-major H×W map (multiplication needs no undoing).</summary>
    public static float[] Deaugment(float[] map, int height, int width, bool flip)
    {
        if (!flip) return map;
        var r = new float[map.Length];
        for (int i = 0; i < height; i++)
            for (int j = 0; j < width; j++) r[i * width + j] = map[i * width + (width - 1 - j)];
        return r;
    }

    /// <summary>Reverses the last axis.</summary>
    public static Tensor FlipLastAxis(Tensor x)
    {
        var v = x.ToArray();
        int w = x.Shape[^1];
        var r = new double[v.Length];
        for (int row = 0; row < v.Length / w; row++)
            for (int j = 0; j < w; j++) r[row * w + j] = v[row * w + (w - 1 - j)];
        return Tensor.FromDoubles(r, x.Shape, x.DType, x.Backend);
    }
}
