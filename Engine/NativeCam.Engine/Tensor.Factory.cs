using NativeCam.Kernels;

namespace NativeCam.Engine;

public sealed partial class Tensor
{
    /// <summary>A float32 tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor FromArray(float[] data, int[] shape, IKernels? backend = null) =>
        Upload<float>(data, shape, DType.Float32, backend);

    /// <summary>
    /// A float32 tensor over <paramref name="data"/> itself where the backend keeps host arrays (the CPU), else a
    /// copy: for data that is never changed again, such as imported weights, so that they are held once. Writing to
    /// <paramref name="data"/> afterwards changes the tensor.
    /// </summary>
    public static Tensor Sharing(float[] data, int[] shape, IKernels? backend = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        backend ??= DefaultBackend;
        if (backend is not NativeCam.Kernels.Cpu.CpuKernels cpu) return FromArray(data, shape, backend);
        if (data.Length != Shapes.Product(shape))
            throw new ArgumentException($"{data.Length} elements do not fill shape {Shapes.Format(shape)}");
        return FromBuffer((int[])shape.Clone(), DType.Float32, cpu, cpu.Wrap(data, data.Length, null, 0));
    }

    /// <summary>
    /// Declares that this tensor's data never changes again (a graph constant such as a weight), so that the backend
    /// may keep forms derived from it: the CPU backend then runs 3×3 stride-1 convolutions with these weights through
    /// Winograd's F(2×2, 3×3), transforming the weights once. Returns this tensor.
    /// </summary>
    public Tensor MarkConstant()
    {
        if (_buffer is NativeCam.Kernels.Cpu.CpuBuffer<float> f) f.MarkConstant();
        else if (_buffer is NativeCam.Kernels.Cpu.CpuBuffer<double> d) d.MarkConstant();
        return this;
    }

    /// <summary>A float64 tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor FromArray(double[] data, int[] shape, IKernels? backend = null) =>
        Upload<double>(data, shape, DType.Float64, backend);

    /// <summary>A tensor of the given dtype from doubles (converted for float32).</summary>
    public static Tensor FromDoubles(double[] data, int[] shape, DType dtype, IKernels? backend = null) =>
        dtype == DType.Float64
            ? FromArray(data, shape, backend)
            : FromArray(Array.ConvertAll(data, v => (float)v), shape, backend);

    private static Tensor Upload<T>(T[] data, int[] shape, DType dtype, IKernels? backend) where T : unmanaged
    {
        if (data.Length != Shapes.Product(shape))
            throw new ArgumentException($"{data.Length} elements do not fill shape {Shapes.Format(shape)}");
        var t = EmptyUnplanned((int[])shape.Clone(), dtype, backend ?? DefaultBackend);
        t.Backend.Upload<T>(data, t.Buffer);
        return t;
    }

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(int[] shape, double value, DType dtype = DType.Float32, IKernels? backend = null)
    {
        var t = EmptyUnplanned((int[])shape.Clone(), dtype, backend ?? DefaultBackend);
        t.Backend.Fill(t.Buffer, value);
        return t;
    }

    /// <summary>Zeros.</summary>
    public static Tensor Zeros(int[] shape, DType dtype = DType.Float32, IKernels? backend = null) => Full(shape, 0, dtype, backend);

    /// <summary>Ones.</summary>
    public static Tensor Ones(int[] shape, DType dtype = DType.Float32, IKernels? backend = null) => Full(shape, 1, dtype, backend);

    /// <summary>A scalar (rank 0).</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32, IKernels? backend = null) => Full([], value, dtype, backend);

    /// <summary>Seeded uniform values in [lo, hi).</summary>
    public static Tensor Uniform(int[] shape, int seed, double lo = -1, double hi = 1, DType dtype = DType.Float32, IKernels? backend = null)
    {
        var r = new Random(seed);
        var d = new double[Shapes.Product(shape)];
        for (int i = 0; i < d.Length; i++) d[i] = lo + (hi - lo) * r.NextDouble();
        return FromDoubles(d, shape, dtype, backend);
    }

    /// <summary>Seeded standard-normal values (Box–Muller).</summary>
    public static Tensor Normal(int[] shape, int seed, double std = 1, DType dtype = DType.Float32, IKernels? backend = null)
    {
        var r = new Random(seed);
        var d = new double[Shapes.Product(shape)];
        for (int i = 0; i < d.Length; i++)
        {
            double u1 = 1.0 - r.NextDouble(), u2 = r.NextDouble();
            d[i] = std * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
        return FromDoubles(d, shape, dtype, backend);
    }

    /// <summary>Zeros with this tensor's shape, dtype and backend (a value).</summary>
    public Tensor ZerosLike() => Zeros(Shape, DType, Backend);

    /// <summary>Ones with this tensor's shape, dtype and backend (a value).</summary>
    public Tensor OnesLike() => Ones(Shape, DType, Backend);

    /// <summary>A scalar of this tensor's dtype and backend.</summary>
    internal Tensor ScalarLike(double v) => Scalar(v, DType, Backend);

    /// <summary>The values as doubles (of the plain value under any derivative levels).</summary>
    public double[] ToArray()
    {
        var v = Value;
        var result = new double[v.Length];
        if (DType == DType.Float64) v.Backend.Download<double>(v.Buffer, result);
        else
        {
            var f = new float[v.Length];
            v.Backend.Download<float>(v.Buffer, f);
            for (int i = 0; i < f.Length; i++) result[i] = f[i];
        }
        return result;
    }

    /// <summary>The values as floats.</summary>
    public float[] ToFloatArray()
    {
        var v = Value;
        var result = new float[v.Length];
        if (DType == DType.Float32) v.Backend.Download<float>(v.Buffer, result);
        else if (DType == DType.Float64)
        {
            using var f = v.ToDType(DType.Float32); // rounded on the backend (as the cast below would): half the bytes moved
            f.Backend.Download<float>(f.Buffer, result);
        }
        else
        {
            var d = new double[v.Length];
            v.Backend.Download<double>(v.Buffer, d);
            for (int i = 0; i < d.Length; i++) result[i] = (float)d[i];
        }
        return result;
    }

    /// <summary>The single element of a one-element tensor.</summary>
    public double Item()
    {
        if (Length != 1) throw new InvalidOperationException($"Item() on a tensor of shape {Shapes.Format(Shape)}");
        return ToArray()[0];
    }
}
