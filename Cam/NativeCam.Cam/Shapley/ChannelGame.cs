using System.Runtime.CompilerServices;
using NativeCam.Cam.Probe;
using NativeCam.Engine;
using NativeCam.Kernels;

namespace NativeCam.Cam.Shapley;

/// <summary>
/// The channel game of one image at a target layer: players are the channels of A, and
/// v(S) = u(head(A ⊙ 1_S)), where 1_S keeps the channels in S and zeroes the others, the head is the sub-graph
/// from A to the logits (<see cref="LayerProbe.EvaluateHead"/>) and u is the utility of the explained class.
/// Coalitions run through the head in batches of a fixed size (a short batch is padded), so the model is imported
/// for one batch size only.
/// </summary>
public sealed class ChannelGame
{
    private readonly LayerProbe _probe;
    private readonly LayerSignals _signals;
    private readonly int _image;
    // A of the image, in the element type of the head (only one of the two is set)
    private readonly double[]? _activation;
    private readonly float[]? _activationSingle;
    private readonly int _plane;
    private float[]? _single;
    private double[]? _double;

    /// <summary>The game of image <paramref name="image"/> at the layer of <paramref name="signals"/>.</summary>
    /// <param name="probe">The probe that produced <paramref name="signals"/>.</param>
    /// <param name="signals">The layer's signals (A is read from them).</param>
    /// <param name="image">The image within the probed batch.</param>
    /// <param name="utility">u.</param>
    /// <param name="class">The class explained.</param>
    /// <param name="batchSize">Coalitions per head evaluation.</param>
    public ChannelGame(LayerProbe probe, LayerSignals signals, int image, Utility utility, int @class, int batchSize)
    {
        var a = signals.Activations;
        if (a.Rank != 4) throw new ArgumentException($"the channel game needs A as [N, C, h, w]; got [{string.Join(", ", a.Shape)}]");
        if ((uint)image >= (uint)a.Shape[0]) throw new ArgumentOutOfRangeException(nameof(image), image, $"the probe holds {a.Shape[0]} image(s)");
        if (batchSize < 1) throw new ArgumentException($"batch size must be ≥ 1; got {batchSize}");
        (_probe, _signals, _image) = (probe, signals, image);
        (Utility, Class, BatchSize) = (utility, @class, batchSize);
        (Channels, Height, Width) = (a.Shape[1], a.Shape[2], a.Shape[3]);
        _plane = Height * Width;
        using var one = a.Slice([image], [image + 1], [0]);
        if (a.DType == DType.Float64) _activation = one.ToArray();
        else _activationSingle = one.ToFloatArray();
    }

    /// <summary>Players: the channels of A.</summary>
    public int Channels { get; }

    /// <summary>h of A.</summary>
    public int Height { get; }

    /// <summary>w of A.</summary>
    public int Width { get; }

    /// <summary>u.</summary>
    public Utility Utility { get; }

    /// <summary>The class explained.</summary>
    public int Class { get; }

    /// <summary>Coalitions per head evaluation.</summary>
    public int BatchSize { get; }

    /// <summary>Head evaluations so far (batches).</summary>
    public int Evaluations { get; private set; }

    /// <summary>The game as a delegate for <see cref="PermutationSampler"/>.</summary>
    public CoalitionGame AsGame() => Evaluate;

    /// <summary>v(S) for each coalition (at most <see cref="BatchSize"/> per head evaluation).</summary>
    public double[] Evaluate(IReadOnlyList<bool[]> coalitions)
    {
        var result = new double[coalitions.Count];
        for (int start = 0; start < coalitions.Count; start += BatchSize)
        {
            int count = Math.Min(BatchSize, coalitions.Count - start);
            var u = EvaluateBatch(coalitions, start, count);
            Array.Copy(u, 0, result, start, count);
        }
        return result;
    }

    /// <summary>
    /// u(head(A ⊙ 1_S)) for coalitions [start, start + count), padded to the batch size with empty coalitions (one
    /// staging buffer is reused: the tensor copies it).
    /// </summary>
    private double[] EvaluateBatch(IReadOnlyList<bool[]> coalitions, int start, int count)
    {
        int size = Channels * _plane;
        var dtype = _signals.Activations.DType;
        var shape = new[] { BatchSize, Channels, Height, Width };
        Tensor batch;
        if (dtype == DType.Float64)
        {
            var data = _double ??= new double[BatchSize * size];
            Array.Clear(data);
            for (int b = 0; b < count; b++) Mask(coalitions[start + b], _activation!, data.AsSpan(b * size, size));
            batch = Tensor.FromArray(data, shape, _signals.Activations.Backend);
        }
        else
        {
            var data = _single ??= new float[BatchSize * size];
            Array.Clear(data);
            for (int b = 0; b < count; b++) Mask(coalitions[start + b], _activationSingle!, data.AsSpan(b * size, size));
            batch = Tensor.FromArray(data, shape, _signals.Activations.Backend);
        }
        using var masked = batch;
        using var logits = _probe.EvaluateHead(_signals, _image, masked);
        Evaluations++;
        return Utilities.PerImage(Utility, logits, [Class]);
    }

    /// <summary>Copies the channels in the coalition from A into the (zeroed) target.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Mask<T>(bool[] coalition, T[] activation, Span<T> target)
    {
        if (coalition.Length != Channels) throw new ArgumentException($"a coalition of {coalition.Length} players for {Channels} channels");
        for (int k = 0; k < Channels; k++)
            if (coalition[k]) activation.AsSpan(k * _plane, _plane).CopyTo(target.Slice(k * _plane, _plane));
    }
}
