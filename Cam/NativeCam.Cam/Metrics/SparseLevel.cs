using System.Runtime.CompilerServices;

namespace NativeCam.Cam.Metrics;

/// <summary>
/// A symmetric sparse matrix over unknowns that sit on an H×W pixel grid (compressed rows, diagonal apart), acting
/// on blocks of C channels stored interleaved (unknown i of channel c at <c>i·C + c</c>). One level of
/// <see cref="AggregationMultigrid"/>.
/// </summary>
internal sealed class SparseLevel
{
    public SparseLevel(int height, int width, int channels, int[] pixel, double[] diagonal, int[] rowStart, int[] column, double[] value)
    {
        (Height, Width, Channels, Pixel, Diagonal, RowStart, Column, Value) =
            (height, width, channels, pixel, diagonal, rowStart, column, value);
        _inverseDiagonal = diagonal.Select(d => 1 / d).ToArray();
    }

    private readonly double[] _inverseDiagonal;

    public int Height { get; }
    public int Width { get; }
    public int Channels { get; }

    /// <summary>Grid index y·W + x of each unknown.</summary>
    public int[] Pixel { get; }
    public double[] Diagonal { get; }
    public int[] RowStart { get; }
    public int[] Column { get; }

    /// <summary>Off-diagonal entries a_ij (negative for the imputation system).</summary>
    public double[] Value { get; }
    public int Count => Diagonal.Length;

    /// <summary>y = A·x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Apply(ReadOnlySpan<double> x, Span<double> y)
    {
        int k = Channels;
        if (k == 3)
        {
            ApplyThree(x, y);
            return;
        }
        for (int i = 0; i < Diagonal.Length; i++)
        {
            int row = i * k;
            double d = Diagonal[i];
            for (int c = 0; c < k; c++)
                y[row + c] = d * x[row + c];
            for (int e = RowStart[i]; e < RowStart[i + 1]; e++)
            {
                int col = Column[e] * k;
                double a = Value[e];
                for (int c = 0; c < k; c++)
                    y[row + c] += a * x[col + c];
            }
        }
    }

    /// <summary>One Gauss–Seidel sweep on A·z = r, in increasing (or, backward, decreasing) unknown order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void GaussSeidel(ReadOnlySpan<double> r, Span<double> z, bool backward)
    {
        int k = Channels, n = Diagonal.Length;
        if (k == 3)
        {
            GaussSeidelThree(r, z, backward);
            return;
        }
        Span<double> sum = stackalloc double[k];
        for (int t = 0; t < n; t++)
        {
            int i = backward ? n - 1 - t : t, row = i * k;
            for (int c = 0; c < k; c++)
                sum[c] = r[row + c];
            for (int e = RowStart[i]; e < RowStart[i + 1]; e++)
            {
                int col = Column[e] * k;
                double a = Value[e];
                for (int c = 0; c < k; c++)
                    sum[c] -= a * z[col + c];
            }
            double inv = 1 / Diagonal[i];
            for (int c = 0; c < k; c++)
                z[row + c] = sum[c] * inv;
        }
    }

    // the RGB cases, channel loops unrolled and bounds checks left out (the sizes are checked once)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void ApplyThree(ReadOnlySpan<double> x, Span<double> y)
    {
        int n = Diagonal.Length;
        if (x.Length < 3 * n || y.Length < 3 * n)
            throw new ArgumentException($"blocks of {x.Length} and {y.Length} values for {n} unknowns of 3 channels");
        fixed (double* px = x, py = y, pd = Diagonal, pv = Value)
        fixed (int* ps = RowStart, pc = Column)
        {
            for (int i = 0; i < n; i++)
            {
                double d = pd[i];
                double* xi = px + 3 * i;
                double y0 = d * xi[0], y1 = d * xi[1], y2 = d * xi[2];
                for (int e = ps[i], end = ps[i + 1]; e < end; e++)
                {
                    double* xj = px + 3 * pc[e];
                    double a = pv[e];
                    y0 += a * xj[0];
                    y1 += a * xj[1];
                    y2 += a * xj[2];
                }
                double* yi = py + 3 * i;
                yi[0] = y0;
                yi[1] = y1;
                yi[2] = y2;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void GaussSeidelThree(ReadOnlySpan<double> r, Span<double> z, bool backward)
    {
        int n = Diagonal.Length;
        if (r.Length < 3 * n || z.Length < 3 * n)
            throw new ArgumentException($"blocks of {r.Length} and {z.Length} values for {n} unknowns of 3 channels");
        fixed (double* pr = r, pz = z, pd = _inverseDiagonal, pv = Value)
        fixed (int* ps = RowStart, pc = Column)
        {
            for (int t = 0, i = backward ? n - 1 : 0, step = backward ? -1 : 1; t < n; t++, i += step)
            {
                double* ri = pr + 3 * i;
                double s0 = ri[0], s1 = ri[1], s2 = ri[2];
                for (int e = ps[i], end = ps[i + 1]; e < end; e++)
                {
                    double* zj = pz + 3 * pc[e];
                    double a = pv[e];
                    s0 -= a * zj[0];
                    s1 -= a * zj[1];
                    s2 -= a * zj[2];
                }
                double inv = pd[i];
                double* zi = pz + 3 * i;
                zi[0] = s0 * inv;
                zi[1] = s1 * inv;
                zi[2] = s2 * inv;
            }
        }
    }

    /// <summary>
    /// The Galerkin coarse matrix Pᵀ·A·P for the piecewise-constant P that merges the unknowns of each 2×2 pixel
    /// block into one, and the aggregate (coarse unknown) of every fine unknown.
    /// </summary>
    public (SparseLevel Coarse, int[] Aggregate) Coarsen()
    {
        int n = Count, hc = (Height + 1) / 2, wc = (Width + 1) / 2;
        var blockIndex = new int[hc * wc];
        Array.Fill(blockIndex, -1);
        var aggregate = new int[n];
        var blockOf = new int[n];
        for (int i = 0; i < n; i++)
        {
            int y = Pixel[i] / Width, x = Pixel[i] % Width;
            blockOf[i] = (y / 2) * wc + x / 2;
            blockIndex[blockOf[i]] = 0;
        }
        int nc = 0;
        var pixel = new List<int>();
        for (int b = 0; b < blockIndex.Length; b++)
            if (blockIndex[b] == 0)
            {
                blockIndex[b] = nc++;
                pixel.Add(b);
            }
        // members of each aggregate (counting sort)
        var memberStart = new int[nc + 1];
        for (int i = 0; i < n; i++)
        {
            aggregate[i] = blockIndex[blockOf[i]];
            memberStart[aggregate[i] + 1]++;
        }
        for (int a = 0; a < nc; a++)
            memberStart[a + 1] += memberStart[a];
        var members = new int[n];
        var fill = (int[])memberStart.Clone();
        for (int i = 0; i < n; i++)
            members[fill[aggregate[i]]++] = i;

        var diagonal = new double[nc];
        var rowStart = new int[nc + 1];
        var column = new List<int>(nc * 8);
        var value = new List<double>(nc * 8);
        var slot = new int[nc];
        Array.Fill(slot, -1);
        for (int a = 0; a < nc; a++)
        {
            int start = column.Count;
            for (int m = memberStart[a]; m < memberStart[a + 1]; m++)
            {
                int i = members[m];
                diagonal[a] += Diagonal[i];
                for (int e = RowStart[i]; e < RowStart[i + 1]; e++)
                {
                    int b = aggregate[Column[e]];
                    if (b == a)
                        diagonal[a] += Value[e];
                    else if (slot[b] < 0)
                    {
                        slot[b] = column.Count;
                        column.Add(b);
                        value.Add(Value[e]);
                    }
                    else
                        value[slot[b]] += Value[e];
                }
            }
            for (int e = start; e < column.Count; e++)
                slot[column[e]] = -1;
            rowStart[a + 1] = column.Count;
        }
        var coarse = new SparseLevel(hc, wc, Channels, [.. pixel], diagonal, rowStart, [.. column], [.. value]);
        return (coarse, aggregate);
    }
}
