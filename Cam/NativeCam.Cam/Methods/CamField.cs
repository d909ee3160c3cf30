using NativeCam.Engine;

namespace NativeCam.Cam.Methods;

/// <summary>A [N, C, h, w] array of doubles (row-major), what the methods compute on.</summary>
public sealed class CamField
{
    /// <summary>A field over existing data.</summary>
    public CamField(double[] data, int n, int c, int h, int w)
    {
        if (data.Length != (long)n * c * h * w) throw new ArgumentException($"{data.Length} values for [{n}, {c}, {h}, {w}]");
        (Data, N, C, H, W) = (data, n, c, h, w);
    }

    /// <summary>A zero field.</summary>
    public CamField(int n, int c, int h, int w) : this(new double[n * c * h * w], n, c, h, w) { }

    /// <summary>The values, index ((n·C + k)·h + i)·w + j.</summary>
    public double[] Data { get; }

    /// <summary>Images.</summary>
    public int N { get; }

    /// <summary>Channels.</summary>
    public int C { get; }

    /// <summary>Height.</summary>
    public int H { get; }

    /// <summary>Width.</summary>
    public int W { get; }

    /// <summary>h·w.</summary>
    public int Plane => H * W;

    /// <summary>The offset of plane (n, k).</summary>
    public int Offset(int n, int k) => (n * C + k) * Plane;

    /// <summary>Plane (n, k) as a span.</summary>
    public Span<double> PlaneOf(int n, int k) => Data.AsSpan(Offset(n, k), Plane);

    /// <summary>The field of a [N, C, h, w] tensor.</summary>
    public static CamField Of(Tensor t)
    {
        if (t.Rank != 4) throw new ArgumentException($"a CAM field is [N, C, h, w]; got [{string.Join(", ", t.Shape)}]");
        return new CamField(t.ToArray(), t.Shape[0], t.Shape[1], t.Shape[2], t.Shape[3]);
    }

    /// <summary>A field of the same shape with f applied elementwise.</summary>
    public CamField Map(Func<double, double> f)
    {
        var r = new double[Data.Length];
        for (int i = 0; i < r.Length; i++) r[i] = f(Data[i]);
        return new CamField(r, N, C, H, W);
    }

    /// <summary>A field of the same shape with f applied to pairs of elements.</summary>
    public CamField Zip(CamField other, Func<double, double, double> f)
    {
        if (other.Data.Length != Data.Length) throw new ArgumentException("fields of different shapes");
        var r = new double[Data.Length];
        for (int i = 0; i < r.Length; i++) r[i] = f(Data[i], other.Data[i]);
        return new CamField(r, N, C, H, W);
    }

    /// <summary>w[n, k]·A[n, k, i, j] for channel weights [N·C].</summary>
    public CamField ScaleChannels(double[] weights)
    {
        if (weights.Length != N * C) throw new ArgumentException($"{weights.Length} weights for {N}×{C} channels");
        var r = new double[Data.Length];
        for (int p = 0; p < N * C; p++)
            for (int q = 0; q < Plane; q++) r[p * Plane + q] = weights[p] * Data[p * Plane + q];
        return new CamField(r, N, C, H, W);
    }

    /// <summary>Σ over each plane, [N·C].</summary>
    public double[] PlaneSums()
    {
        var s = new double[N * C];
        for (int p = 0; p < s.Length; p++)
        {
            double acc = 0;
            for (int q = 0; q < Plane; q++) acc += Data[p * Plane + q];
            s[p] = acc;
        }
        return s;
    }

    /// <summary>Mean over each plane, [N·C].</summary>
    public double[] PlaneMeans()
    {
        var s = PlaneSums();
        for (int p = 0; p < s.Length; p++) s[p] /= Plane;
        return s;
    }

    /// <summary>Σ_k over channels: the map [N, h, w].</summary>
    public Tensor SumChannels()
    {
        var m = new double[N * Plane];
        for (int n = 0; n < N; n++)
            for (int k = 0; k < C; k++)
            {
                int src = Offset(n, k);
                for (int q = 0; q < Plane; q++) m[n * Plane + q] += Data[src + q];
            }
        return Tensor.FromArray(m, [N, H, W]);
    }
}
