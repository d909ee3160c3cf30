using NativeCam.Cam.Methods;

namespace NativeCam.Cam.Attribution;

/// <summary>
/// Occlusion (Zeiler and Fergus, 2014), black-box, as Captum computes it: a <see cref="AttributionParameters.Window"/>²
/// window over every channel slides with <see cref="AttributionParameters.Stride"/> (⌊(H − window)/stride⌋ + 1 positions
/// per axis, from the top-left corner); each position replaces the window by 0 (the mean colour under the model's
/// normalisation) and scores d = u(x) − u(x occluded); a pixel's attribution is the mean d over the windows covering
/// it (0 where none does). The occluded inputs run through the model in batches. Signed: post-processing's ReLU keeps
/// the regions whose removal lowers u.
/// </summary>
public sealed class Occlusion : InputAttribution
{
    /// <inheritdoc/>
    public override string Name => "occlusion";

    /// <inheritdoc/>
    public override ChannelReduction Reduction => ChannelReduction.Sum;

    /// <inheritdoc/>
    public override double[] Attribute(CamContext context)
    {
        var p = context.Settings.Attribution;
        p.Validate();
        var shape = context.Input.Shape;
        int n = shape[0], ch = shape[1], h = shape[2], w = shape[3], px = h * w;
        int win = Math.Min(p.Window, Math.Min(h, w));
        var ys = Positions(h, win, p.Stride);
        var xs = Positions(w, win, p.Stride);
        int windows = ys.Length * xs.Length;
        var images = Enumerable.Range(0, n).Select(i => ImageOf(context, i)).ToArray();
        // rows: per image, the clean input first, then each window position
        int per = windows + 1;
        var u = ModelRows.Utilities(context, n * per, (r, row) =>
        {
            var x = images[r / per];
            x.CopyTo(row);
            int k = r % per - 1;
            if (k < 0) return;
            int y0 = ys[k / xs.Length], x0 = xs[k % xs.Length];
            for (int c = 0; c < ch; c++)
                for (int y = y0; y < y0 + win; y++) row.Slice(c * px + y * w + x0, win).Clear();
        }, r => context.Result.Classes[r / per]);
        var map = new double[n * px];
        var covered = new int[px];
        for (int i = 0; i < n; i++)
        {
            Array.Clear(covered);
            var acc = map.AsSpan(i * px, px);
            for (int k = 0; k < windows; k++)
            {
                double d = u[i * per] - u[i * per + 1 + k];
                int y0 = ys[k / xs.Length], x0 = xs[k % xs.Length];
                for (int y = y0; y < y0 + win; y++)
                    for (int x = x0; x < x0 + win; x++)
                    {
                        acc[y * w + x] += d;
                        covered[y * w + x]++;
                    }
            }
            for (int q = 0; q < px; q++)
                if (covered[q] > 0) acc[q] /= covered[q];
        }
        return map;
    }

    /// <summary>The window's start offsets along an axis of <paramref name="size"/>.</summary>
    public static int[] Positions(int size, int window, int stride) =>
        Enumerable.Range(0, (size - window) / stride + 1).Select(k => k * stride).ToArray();
}
