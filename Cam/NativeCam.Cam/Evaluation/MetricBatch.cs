using NativeCam.Engine.Graph;

namespace NativeCam.Cam.Evaluation;

/// <summary>
/// The default chunk size of the metrics' model calls: as many images as fit a memory budget for activations, from
/// the model's own activation sizes. A planned forward pass holds its memory plan's blocks, which reuse memory only
/// between activations of equal size: about three times the largest node's inputs plus outputs per image on the
/// CNNs measured (MobileNetV2 at batch 32: 571 MB of blocks, 193 MB live at most), which is what is counted.
/// </summary>
public static class MetricBatch
{
    /// <summary>The activation budget of one chunk: 128 MiB (7 images of MobileNetV2 at 224×224, 6 of ResNet-50, 1 of VGG-16).</summary>
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
        long perImage = Math.Max(1, BlocksPerLargestNode * LargestNodeBytes(model) / Math.Max(1, model.BatchSize));
        return (int)Math.Clamp(budgetBytes / perImage, 1, Largest);
    }

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
