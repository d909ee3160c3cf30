using Onnx;

namespace NativeCam.Importers.Onnx;

/// <summary>
/// Data known at import time: an initializer, a Constant node, or a folded shape computation. Float32 initializers
/// are held as they are stored (4 bytes a value, shared with the run-time tensor made from them); other floating
/// values as doubles, integer and boolean types as longs.
/// </summary>
internal sealed class ConstantData
{
    private readonly double[]? _doubles;

    public ConstantData(int[] shape, TensorProto.Types.DataType type, double[]? floats, long[]? ints)
    {
        Shape = shape;
        Type = type;
        _doubles = floats;
        Ints = ints;
    }

    private ConstantData(int[] shape, float[] singles)
    {
        Shape = shape;
        Type = TensorProto.Types.DataType.Float;
        Singles = singles;
    }

    /// <summary>The dims.</summary>
    public int[] Shape { get; }

    /// <summary>The ONNX element type.</summary>
    public TensorProto.Types.DataType Type { get; }

    /// <summary>The values of a float32 tensor as stored, or null (then <see cref="Floats"/> holds doubles). Never
    /// changed after decoding: run-time tensors may share the array.</summary>
    public float[]? Singles { get; }

    /// <summary>Values of a float, double or float16 tensor (widened to doubles on every call when held as
    /// <see cref="Singles"/>: read it once).</summary>
    public double[]? Floats => _doubles ?? (Singles is { } s ? Widen(s) : null);

    /// <summary>Values of an integer or bool tensor.</summary>
    public long[]? Ints { get; }

    /// <summary>True for float types.</summary>
    public bool IsFloat => _doubles is not null || Singles is not null;

    /// <summary>Element count.</summary>
    public long Length => Singles?.Length ?? _doubles?.Length ?? Ints!.Length;

    /// <summary>An int64 constant.</summary>
    public static ConstantData OfInts(long[] values, int[] shape) => new(shape, TensorProto.Types.DataType.Int64, null, values);

    /// <summary>A float constant.</summary>
    public static ConstantData OfFloats(double[] values, int[] shape) => new(shape, TensorProto.Types.DataType.Float, values, null);

    /// <summary>A float32 constant held as stored (the array is kept, not copied).</summary>
    public static ConstantData OfSingles(float[] values, int[] shape) => new(shape, values);

    /// <summary>The values as doubles whatever the type.</summary>
    public double[] AsDoubles() => Floats ?? Array.ConvertAll(Ints!, v => (double)v);

    /// <summary>The values as longs (floats truncated toward zero).</summary>
    public long[] AsLongs() => Ints ?? Array.ConvertAll(Floats!, v => (long)v);

    private static double[] Widen(float[] s)
    {
        var d = GC.AllocateUninitializedArray<double>(s.Length);
        for (int i = 0; i < s.Length; i++) d[i] = s[i];
        return d;
    }
}
