using NativeCam.Engine.Graph;

namespace NativeCam.Cam.Evaluation;

/// <summary>
/// The default chunk size of the metrics' model calls: as many images as fit a memory budget for activations, from
/// the model's own activation sizes. A planned forward pass holds its memory plan's blocks, which reuse memory only
/// between activations of equal size: about three times the largest node's inputs plus outputs per image on the
/// CNNs measured (MobileNetV2 at batch 32: 571 MB of blocks, 193 MB live at most), which is what is counted. Every
/// batch size run keeps a plan of its own, so the budget covers the plans of all the chunk sizes the calls run at.
/// </summary>
public static class MetricBatch
{
    /// <summary>The activation budget: 128 MiB (one chunk size alone: 7 images of MobileNetV2 at 224×224, 6 of
    /// ResNet-50, 1 of VGG-16; every chunk size of the default metrics together: chunks of 3, 3 and 1).</summary>
    public const long DefaultBudgetBytes = 128L << 20;

    /// <summary>The plan's blocks per image, as a multiple of the largest node's bytes.</summary>
    private const int BlocksPerLargestNode = 3;

    /// <summary>Most images per chunk, whatever the budget.</summary>
    public const int Largest = 64;

    /// <summary>
    /// Images per chunk for <paramref name="model"/> within <paramref name="budgetBytes"/> (at least 1, at most
    /// <see cref="Largest"/>).
    /// </summary>
    public static int For(Model model, long budgetBytes = DefaultBudgetBytes)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(budgetBytes, 1);
        return (int)Math.Clamp(budgetBytes / PerImage(model), 1, Largest);
    }

    /// <summary>
    /// Images per chunk for metric calls of <paramref name="calls"/> images each: the largest chunk (at most
    /// <see cref="Largest"/>, at least 1) whose distinct batch sizes (<see cref="ChunkSizes"/>) together fit
    /// <paramref name="budgetBytes"/>.
    /// </summary>
    public static int For(Model model, IEnumerable<int> calls, long budgetBytes = DefaultBudgetBytes)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentOutOfRangeException.ThrowIfLessThan(budgetBytes, 1);
        var counts = calls.ToArray();
        long perImage = PerImage(model);
        int best = 1;
        for (int chunk = 2; chunk <= Largest; chunk++)
            if (ChunkSizes(counts, chunk).Sum() <= budgetBytes / perImage) best = chunk;
        return best;
    }

    /// <summary>The batch sizes calls of <paramref name="calls"/> images run at in chunks of at most
    /// <paramref name="maxBatch"/>: min(count, maxBatch) and the remainder of each.</summary>
    public static IReadOnlySet<int> ChunkSizes(IEnumerable<int> calls, int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        var sizes = new SortedSet<int>();
        foreach (int count in calls)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
            int chunk = Math.Min(count, maxBatch);
            sizes.Add(chunk);
            if (count % chunk != 0) sizes.Add(count % chunk);
        }
        return sizes;
    }

    private static long PerImage(Model model) => Math.Max(1, BlocksPerLargestNode * LargestNodeBytes(model) / Math.Max(1, model.BatchSize));

    /// <summary>Bytes of the run-time inputs and outputs of the largest node of <paramref name="model"/>'s graph.</summary>
    public static long LargestNodeBytes(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        int size = model.DType == NativeCam.Kernels.DType.Float64 ? 8 : 4;
        long largest = 0;
        foreach (var node in model.Graph.Nodes)
        {
            long bytes = 0;
            foreach (var name in node.Inputs.Concat(node.Outputs))
                if (name.Length > 0 && !model.Graph.Constants.ContainsKey(name) && model.TensorShapes.TryGetValue(name, out var shape))
                    bytes += size * shape.Aggregate(1L, (p, d) => p * d);
            largest = Math.Max(largest, bytes);
        }
        return largest;
    }
}
