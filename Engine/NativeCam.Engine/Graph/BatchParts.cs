using NativeCam.Kernels;

namespace NativeCam.Engine.Graph;

/// <summary>
/// Runs a plain forward pass of a batch in parts of a few items, each part through the model built for its size.
/// Layer by layer over a whole batch, every layer streams all items' activations through memory: a batch of 16
/// MobileNetV2 inputs has 77 MB at its widest layer, so each layer reads what the one before wrote from DRAM, with
/// more concurrent streams than the hardware prefetcher follows; one item's 6 MB stays in the last-level cache
/// from one layer to the next. So a part holds as many items as keep the widest node's inputs and outputs within
/// <see cref="PartBytes"/>. Only for models whose items are independent (<see cref="Model.BatchCoupling"/>), on
/// backends that plan memory (the CPU: a GPU wants the whole batch), never with derivative levels.
/// </summary>
internal static class BatchParts
{
    /// <summary>Activation bytes one part's widest node may touch: a share of a last-level cache (16–32 MB on the
    /// 2-core EPYCs this was measured on) that leaves room for the weights the layer reads.</summary>
    public const long PartBytes = 4L << 20;

    /// <summary>Items per part for <paramref name="model"/>: as many as fit <see cref="PartBytes"/>, at least one per
    /// CPU thread, at most its batch size.</summary>
    public static int PartSize(Model model)
    {
        long widest = 0; // elements of one item that the widest node reads and writes
        int n = model.BatchSize;
        var constants = model.Graph.Constants;
        foreach (var node in model.Graph.Nodes)
        {
            long sum = 0;
            foreach (var name in node.Inputs.Concat(node.Outputs))
                if (name.Length > 0 && !constants.ContainsKey(name) && model.TensorShapes.TryGetValue(name, out var shape))
                    sum += shape.Aggregate(1L, (a, d) => a * d);
            widest = Math.Max(widest, sum / n);
        }
        long bytes = Math.Max(1, widest * model.DType.SizeInBytes());
        // at least an item per thread: the kernels split a batch between threads by items first, where a single
        // item's every op is split in two halves that meet at a barrier
        int threads = model.Backend is NativeCam.Kernels.Cpu.CpuKernels cpu ? cpu.Threads : 1;
        return (int)Math.Clamp(Math.Max(PartBytes / bytes, threads), 1, n);
    }

    /// <summary>
    /// <paramref name="fetch"/> for <paramref name="input"/> computed in parts of <paramref name="partSize"/> items
    /// (default <see cref="Model.BatchPartSize"/>), or null when the batch runs whole: items coupled, one part,
    /// derivative levels, a backend without planned memory (unless a part size is given), or a fetched name that is
    /// not a run-time tensor with one row per item.
    /// </summary>
    public static IReadOnlyDictionary<string, Tensor>? Run(Model model, Tensor input, string[] fetch, int? partSize = null)
    {
        int n = model.BatchSize, part = partSize ?? model.BatchPartSize;
        if (n < 2 || part >= n || model.BatchCoupling is not null || input.IsDifferentiable) return null;
        if (partSize is null && input.Backend is not IReusableBuffers) return null;
        foreach (var f in fetch)
            // run-time tensors exclude constants; defined ones exclude those hidden by fusion
            if (f == model.InputName || !model.Graph.Defines(f) || !model.RuntimeTensors.Contains(f)
                || !model.TensorShapes.TryGetValue(f, out var s) || s.Length == 0 || s[0] != n)
                return null;
        var pieces = fetch.ToDictionary(f => f, _ => new List<Tensor>(), StringComparer.Ordinal);
        var slices = new List<Tensor>(); // kept to the end: a fetched view may share a slice's memory
        try
        {
            for (int start = 0; start < n; start += part)
            {
                int size = Math.Min(part, n - start);
                var slice = input.Slice([start], [start + size], [0]);
                slices.Add(slice);
                var result = model.ForBatch(size).Run(slice, fetch);
                foreach (var f in fetch) pieces[f].Add(result[f]);
            }
            // (two parts at least, so Concat makes a new tensor and the pieces can go)
            return fetch.ToDictionary(f => f, f => Tensor.Concat([.. pieces[f]], 0), StringComparer.Ordinal);
        }
        finally
        {
            var disposed = new HashSet<Tensor>(TensorIdentity.Instance);
            foreach (var t in pieces.Values.SelectMany(p => p).Concat(slices))
                if (disposed.Add(t)) t.Dispose();
        }
    }
}
