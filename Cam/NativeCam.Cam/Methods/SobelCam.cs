using NativeCam.Cam.Images;
using NativeCam.Cam.Probe;
using NativeCam.Engine;

namespace NativeCam.Cam.Methods;

/// <summary>
/// SobelCAM, pytorch-grad-cam's model-free baseline: the edge strength of the photo, OpenCV's way. The input is
/// mapped back to 8-bit RGB (it is assumed normalised with the ImageNet mean and std, as the CLI prepares it),
/// turned grey (OpenCV's fixed-point 0.299 R + 0.587 G + 0.114 B), filtered by the 3×3 Sobel kernels in x and y
/// (border reflect-101), and |Gx| and |Gy| (saturated to 8 bits) averaged with rounding to 8 bits. The map is at
/// the input's resolution; the model and the target layers are not used.
/// </summary>
public sealed class SobelCam : CamMethod
{
    /// <inheritdoc/>
    public override string Name => "sobelcam";

    /// <inheritdoc/>
    public override bool NeedsGradients => false;

    /// <inheritdoc/>
    public override Tensor Compute(LayerSignals signals, CamContext context)
    {
        var x = context.Input;
        int n = x.Shape[0], h = x.Shape[2], w = x.Shape[3], plane = h * w;
        if (x.Shape[1] != 3) throw new ArgumentException($"sobelcam needs an RGB input [N, 3, H, W]; got [{string.Join(", ", x.Shape)}]");
        var v = x.ToArray();
        var r = new double[n * plane];
        for (int i = 0; i < n; i++)
        {
            var gray = Gray(v.AsSpan(i * 3 * plane, 3 * plane), plane);
            Edges(gray, h, w).CopyTo(r, i * plane);
        }
        return Tensor.FromArray(r, [n, h, w]);
    }

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals s, CamContext context) =>
        throw new NotSupportedException("sobelcam is a map of the photo; it has no per-channel contributions at a layer");

    /// <summary>The 8-bit grey image of one normalised CHW input.</summary>
    public static byte[] Gray(ReadOnlySpan<double> chw, int plane)
    {
        var g = new byte[plane];
        for (int q = 0; q < plane; q++)
        {
            int r = Byte(chw[q], 0), gr = Byte(chw[plane + q], 1), b = Byte(chw[2 * plane + q], 2);
            g[q] = (byte)((r * 4899 + gr * 9617 + b * 1868 + (1 << 13)) >> 14);
        }
        return g;
    }

    /// <summary>round(0.5·sat(|Gx|) + 0.5·sat(|Gy|)), ties to even, as doubles [h·w].</summary>
    public static double[] Edges(byte[] gray, int h, int w)
    {
        var r = new double[h * w];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
            {
                double P(int di, int dj) => gray[Reflect(i + di, h) * w + Reflect(j + dj, w)];
                double gx = P(-1, 1) + 2 * P(0, 1) + P(1, 1) - P(-1, -1) - 2 * P(0, -1) - P(1, -1);
                double gy = P(1, -1) + 2 * P(1, 0) + P(1, 1) - P(-1, -1) - 2 * P(-1, 0) - P(-1, 1);
                double ax = Math.Min(Math.Abs(gx), 255), ay = Math.Min(Math.Abs(gy), 255);
                r[i * w + j] = Math.Min(Math.Round(0.5 * ax + 0.5 * ay, MidpointRounding.ToEven), 255);
            }
        return r;
    }

    /// <summary>OpenCV's BORDER_REFLECT_101 index (gfedcb|abcdefgh|gfedcba).</summary>
    private static int Reflect(int p, int n)
    {
        if (n == 1) return 0;
        while (p < 0 || p >= n) p = p < 0 ? -p : 2 * n - 2 - p;
        return p;
    }

    private static int Byte(double normalised, int c) =>
        (int)Math.Clamp(Math.Round((normalised * ImageNetPreprocessor.Std[c] + ImageNetPreprocessor.Mean[c]) * 255), 0, 255);
}
