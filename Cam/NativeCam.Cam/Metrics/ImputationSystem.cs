namespace NativeCam.Cam.Metrics;

/// <summary>
/// The sparse system (D − W)·x = b of the linear imputation over the removed pixels of an H×W grid, all channels at
/// once (unknown i of channel c at <c>i·C + c</c>): d_i = Σ of the weights of i's in-image neighbours, W holds the
/// weights between removed neighbours, b_i = Σ over kept neighbours j of w_ij·v_j. Stored as compressed rows.
/// </summary>
internal sealed class ImputationSystem
{
    /// <summary>D − W over the unknowns (increasing pixel index), as a multigrid level.</summary>
    public SparseLevel Matrix { get; }

    /// <summary>b, interleaved by channel.</summary>
    public double[] RightHandSide { get; }

    /// <param name="values">C planes of H·W; only the kept entries are read.</param>
    /// <param name="removed">H·W flags, true = unknown.</param>
    /// <param name="neighbours">Offsets and weights of the neighbours.</param>
    public ImputationSystem(double[] values, bool[] removed, int height, int width, int channels,
        (int Dy, int Dx, double W)[] neighbours)
    {
        int plane = height * width;
        var index = new int[plane];
        int n = 0;
        for (int p = 0; p < plane; p++)
            index[p] = removed[p] ? n++ : -1;
        var unknowns = new int[n];
        for (int p = 0; p < plane; p++)
            if (removed[p])
                unknowns[index[p]] = p;

        var rowStart = new int[n + 1];
        var column = new List<int>(n * 8);
        var value = new List<double>(n * 8);
        var diagonal = new double[n];
        RightHandSide = new double[n * channels];
        for (int i = 0; i < n; i++)
        {
            int p = unknowns[i], y = p / width, x = p % width;
            double d = 0;
            for (int s = 0; s < neighbours.Length; s++)
            {
                var (dy, dx, w) = neighbours[s];
                int ny = y + dy, nx = x + dx;
                if ((uint)ny >= (uint)height || (uint)nx >= (uint)width)
                    continue; // outside the image: drops out of the mean
                d += w;
                int q = ny * width + nx;
                if (index[q] >= 0)
                {
                    column.Add(index[q]);
                    value.Add(-w);
                }
                else
                {
                    for (int c = 0; c < channels; c++)
                        RightHandSide[i * channels + c] += w * values[c * plane + q];
                }
            }
            diagonal[i] = d;
            rowStart[i + 1] = column.Count;
        }
        Matrix = new SparseLevel(height, width, channels, unknowns, diagonal, rowStart, [.. column], [.. value]);
    }
}
