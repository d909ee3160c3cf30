using Onnx;

namespace NativeCam.Importers.Onnx;

/// <summary>
/// Data known at import time: an initializer, a Constant node, or a folded shape computation. Floating types are
/// held as doubles, integer and boolean types as longs.
/// </summary>
internal sealed class ConstantData
{
    public ConstantData(int[] shape, TensorProto.Types.DataType type, double[]? floats, long[]? ints)
    {
        Shape = shape;
        Type = type;
        Floats = floats;
        Ints = ints;
    }

    /// <summary>The dims.</summary>
    public int[] Shape { get; }

    /// <summary>The ONNX element type.</summary>
    public TensorProto.Types.DataType Type { get; }

    /// <summary>Values of a float, double or float16 tensor.</summary>
    public double[]? Floats { get; }

    /// <summary>Values of an integer or bool tensor.</summary>
    public long[]? Ints { get; }

    /// <summary>True for float types.</summary>
    public bool IsFloat => Floats is not null;

    /// <summary>Element count.</summary>
    public long Length => Floats?.Length ?? Ints!.Length;

    /// <summary>An int64 constant.</summary>
    public static ConstantData OfInts(long[] values, int[] shape) => new(shape, TensorProto.Types.DataType.Int64, null, values);

    /// <summary>A float constant.</summary>
    public static ConstantData OfFloats(double[] values, int[] shape) => new(shape, TensorProto.Types.DataType.Float, values, null);

    /// <summary>The values as doubles whatever the type.</summary>
    public double[] AsDoubles() => Floats ?? Array.ConvertAll(Ints!, v => (double)v);

    /// <summary>The values as longs (floats truncated toward zero).</summary>
    public long[] AsLongs() => Ints ?? Array.ConvertAll(Floats!, v => (long)v);
}
