using NativeCam.Engine;
using NativeCam.Kernels;

namespace NativeCam.Cam.Methods;

/// <summary>
/// A [N, C, h, w] field (row-major), what the methods compute on. It lives as a float64 tensor on the model's
/// backend: the operators, <see cref="Relu"/>, <see cref="ChannelSums"/>, <see cref="ChannelMeans"/>,
/// <see cref="ScaleChannels(Tensor)"/> and <see cref="SumChannels"/> run there as kernels. The host members
/// (<see cref="Data"/>, <see cref="PlaneOf"/>, <see cref="Map"/>, <see cref="Zip"/>, <see cref="PlaneSums"/>,
/// <see cref="PlaneMeans"/>) are the fallback for host algorithms: the first of them downloads the field once and
/// keeps the copy; a field made on the host is uploaded once when a tensor member needs it.
/// </summary>
public sealed class CamField
{
    private double[]? _data;
    private Tensor? _tensor;
    // a field made by ScaleChannels keeps its factors: Σ_k w_k·A_k is then one product w·A per image, and the
    // product field itself is made only if a member needs its elements
    private readonly (Tensor Field, Tensor Weights)? _factors;

    /// <summary>A field over existing host data (uploaded to <paramref name="backend"/>, default CPU, when needed).</summary>
    public CamField(double[] data, int n, int c, int h, int w, IKernels? backend = null)
    {
        if (data.Length != (long)n * c * h * w) throw new ArgumentException($"{data.Length} values for [{n}, {c}, {h}, {w}]");
        (_data, N, C, H, W) = (data, n, c, h, w);
        Backend = backend ?? Tensor.DefaultBackend;
    }

    /// <summary>A zero field.</summary>
    public CamField(int n, int c, int h, int w) : this(new double[n * c * h * w], n, c, h, w) { }

    /// <summary>A field over a [N, C, h, w] tensor (converted to float64 on its backend; no host copy).</summary>
    public CamField(Tensor t)
    {
        if (t.Rank != 4) throw new ArgumentException($"a CAM field is [N, C, h, w]; got [{string.Join(", ", t.Shape)}]");
        _tensor = t.Value.ToDType(DType.Float64);
        (N, C, H, W) = (t.Shape[0], t.Shape[1], t.Shape[2], t.Shape[3]);
        Backend = t.Backend;
    }

    /// <summary>The backend the field's tensor lives on.</summary>
    public IKernels Backend { get; }

    private CamField(Tensor a, Tensor weights)
    {
        _factors = (a, weights);
        (N, C, H, W) = (a.Shape[0], a.Shape[1], a.Shape[2], a.Shape[3]);
        Backend = a.Backend;
    }

    /// <summary>The field as a float64 tensor [N, C, h, w] on <see cref="Backend"/>.</summary>
    public Tensor Tensor => _tensor ??= _factors is var (a, w) ? a * w : Tensor.FromArray(_data!, [N, C, H, W], Backend);

    /// <summary>The values on the host, index ((n·C + k)·h + i)·w + j (downloaded once, on first use).</summary>
    public double[] Data => _data ??= Tensor.ToArray();

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

    /// <summary>Plane (n, k) of the host copy as a span.</summary>
    public Span<double> PlaneOf(int n, int k) => Data.AsSpan(Offset(n, k), Plane);

    /// <summary>The field of a [N, C, h, w] tensor.</summary>
    public static CamField Of(Tensor t) => new(t);

    /// <summary>Elementwise product on the backend.</summary>
    public static CamField operator *(CamField a, CamField b) => new(a.Tensor * b.Tensor);

    /// <summary>Elementwise sum on the backend.</summary>
    public static CamField operator +(CamField a, CamField b) => new(a.Tensor + b.Tensor);

    /// <summary>Elementwise difference on the backend.</summary>
    public static CamField operator -(CamField a, CamField b) => new(a.Tensor - b.Tensor);

    /// <summary>Scaling on the backend.</summary>
    public static CamField operator *(double s, CamField a) => new(a.Tensor * s);

    /// <summary>max(x, 0) elementwise on the backend.</summary>
    public CamField Relu() => new(Tensor.Relu());

    /// <summary>A host fallback: a field of the same shape with f applied elementwise.</summary>
    public CamField Map(Func<double, double> f)
    {
        var d = Data;
        var r = new double[d.Length];
        for (int i = 0; i < r.Length; i++) r[i] = f(d[i]);
        return new CamField(r, N, C, H, W, Backend);
    }

    /// <summary>A host fallback: a field of the same shape with f applied to pairs of elements.</summary>
    public CamField Zip(CamField other, Func<double, double, double> f)
    {
        if (other.N != N || other.C != C || other.H != H || other.W != W) throw new ArgumentException("fields of different shapes");
        double[] a = Data, b = other.Data;
        var r = new double[a.Length];
        for (int i = 0; i < r.Length; i++) r[i] = f(a[i], b[i]);
        return new CamField(r, N, C, H, W, Backend);
    }

    /// <summary>w[n, k]·A[n, k, i, j] for host channel weights [N·C] (uploaded; the field stays on the backend).</summary>
    public CamField ScaleChannels(double[] weights)
    {
        if (weights.Length != N * C) throw new ArgumentException($"{weights.Length} weights for {N}×{C} channels");
        return ScaleChannels(Tensor.FromArray(weights, [N, C, 1, 1], Backend));
    }

    /// <summary>w[n, k]·A[n, k, i, j] for channel weights on the backend, [N, C] or [N, C, 1, 1].</summary>
    public CamField ScaleChannels(Tensor weights)
    {
        if (weights.Length != (long)N * C) throw new ArgumentException($"{weights.Length} weights for {N}×{C} channels");
        var w = weights.Rank == 4 ? weights : weights.Reshape(N, C, 1, 1);
        return new CamField(Tensor, w.ToDType(DType.Float64));
    }

    /// <summary>Σ over each plane on the backend, [N, C, 1, 1].</summary>
    public Tensor ChannelSums() => Tensor.Sum([2, 3], keepDims: true);

    /// <summary>Mean over each plane on the backend, [N, C, 1, 1] (the sum divided by h·w).</summary>
    public Tensor ChannelMeans() => ChannelSums() / Plane;

    /// <summary>A host fallback: Σ over each plane, [N·C].</summary>
    public double[] PlaneSums()
    {
        var d = Data;
        var s = new double[N * C];
        for (int p = 0; p < s.Length; p++)
        {
            double acc = 0;
            for (int q = 0; q < Plane; q++) acc += d[p * Plane + q];
            s[p] = acc;
        }
        return s;
    }

    /// <summary>A host fallback: mean over each plane, [N·C].</summary>
    public double[] PlaneMeans()
    {
        var s = PlaneSums();
        for (int p = 0; p < s.Length; p++) s[p] /= Plane;
        return s;
    }

    /// <summary>Σ_k over channels on the backend: the map [N, h, w] (of a scaled field, Σ_k w_k·A_k as the product
    /// of the weights [1, C] and A [C, h·w] per image).</summary>
    public Tensor SumChannels() => _factors is var (a, w)
        ? w.Reshape(N, 1, C).MatMul(a.Reshape(N, C, Plane)).Reshape(N, H, W)
        : Tensor.Sum([1]);
}
