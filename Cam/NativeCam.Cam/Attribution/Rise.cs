using NativeCam.Cam.Methods;
using NativeCam.Cam.Probe;

namespace NativeCam.Cam.Attribution;

/// <summary>
/// RISE (Petsiuk et al., 2018), black-box: N = <see cref="AttributionParameters.Masks"/> random masks M_i, each an
/// s × s grid of cells kept with probability p, upsampled bilinearly to (s + 1)·⌈H/s⌉ × (s + 1)·⌈W/s⌉ and cropped at a
/// random shift; the map is Σ_i P_c(x ⊙ M_i)·M_i / (N·p) with P_c the softmax probability of the explained class (as
/// in the paper, whatever the utility). The masked inputs run through the model in batches. Masks of an image come
/// from <see cref="Random"/> seeded by <see cref="AttributionSeeds.For"/>(seed, image, "rise") + i.
/// </summary>
public sealed class Rise : InputAttribution
{
    /// <inheritdoc/>
    public override string Name => "rise";

    /// <inheritdoc/>
    public override ChannelReduction Reduction => ChannelReduction.Sum;

    /// <inheritdoc/>
    public override double[] Attribute(CamContext context)
    {
        var p = context.Settings.Attribution;
        p.Validate();
        var shape = context.Input.Shape;
        int n = shape[0], ch = shape[1], h = shape[2], w = shape[3], px = h * w, count = p.Masks;
        var images = Enumerable.Range(0, n).Select(i => ImageOf(context, i)).ToArray();
        var seeds = images.Select(x => AttributionSeeds.For(context.Seed, x, Name)).ToArray();
        var probabilityContext = context with { Utility = Utility.Softmax };
        var map = new double[n * px];
        // a chunk of masks at a time: scores first, then the masks' weighted sum
        int chunk = Math.Max(1, context.BatchSize) * 4;
        for (int image = 0; image < n; image++)
            for (int start = 0; start < count; start += chunk)
            {
                int size = Math.Min(chunk, count - start);
                var masks = new double[size][];
                for (int i = 0; i < size; i++) masks[i] = Mask(h, w, p.MaskCells, p.KeepProbability, seeds[image], start + i);
                var x = images[image];
                var scores = ModelRows.Utilities(probabilityContext, size, (r, row) =>
                {
                    var m = masks[r];
                    for (int c = 0; c < ch; c++)
                        for (int q = 0; q < px; q++) row[c * px + q] = x[c * px + q] * m[q];
                }, _ => context.Result.Classes[image]);
                var acc = map.AsSpan(image * px, px);
                for (int i = 0; i < size; i++)
                    for (int q = 0; q < px; q++) acc[q] += scores[i] * masks[i][q];
            }
        for (int i = 0; i < map.Length; i++) map[i] /= count * p.KeepProbability;
        return map;
    }

    /// <summary>
    /// Mask <paramref name="index"/> (H·W values in [0, 1]): the grid drawn first (row-major, cell kept when
    /// NextDouble() &lt; p), then the shift (dy, dx) in [0, cell); upsampling with half-pixel centres, edges replicated.
    /// </summary>
    public static double[] Mask(int height, int width, int cells, double keep, int seed, int index)
    {
        var rng = new Random(unchecked(seed + index));
        var grid = new double[cells * cells];
        for (int i = 0; i < grid.Length; i++) grid[i] = rng.NextDouble() < keep ? 1 : 0;
        int cellH = (height + cells - 1) / cells, cellW = (width + cells - 1) / cells;
        int dy = rng.Next(cellH), dx = rng.Next(cellW);
        int upH = (cells + 1) * cellH, upW = (cells + 1) * cellW;
        var mask = new double[height * width];
        for (int y = 0; y < height; y++)
        {
            var (y0, y1, fy) = Source(y + dy, cells, upH);
            for (int x = 0; x < width; x++)
            {
                var (x0, x1, fx) = Source(x + dx, cells, upW);
                double top = grid[y0 * cells + x0] * (1 - fx) + grid[y0 * cells + x1] * fx;
                double bottom = grid[y1 * cells + x0] * (1 - fx) + grid[y1 * cells + x1] * fx;
                mask[y * width + x] = top * (1 - fy) + bottom * fy;
            }
        }
        return mask;
    }

    /// <summary>The two grid cells and the weight of the second for output coordinate <paramref name="o"/> of <paramref name="outSize"/>.</summary>
    private static (int Lo, int Hi, double Frac) Source(int o, int cells, int outSize)
    {
        double s = (o + 0.5) * cells / outSize - 0.5;
        s = Math.Clamp(s, 0, cells - 1);
        int lo = (int)Math.Floor(s);
        int hi = Math.Min(lo + 1, cells - 1);
        return (lo, hi, s - lo);
    }
}
