using NativeCam.Cam.Probe;
using NativeCam.Engine;
using NativeCam.Engine.Autodiff;
using NativeCam.Engine.Graph;

namespace NativeCam.Cam.Diagnostics;

/// <summary>What <see cref="ModelBenchmark.Run"/> measured.</summary>
/// <param name="Forward">The forward pass alone.</param>
/// <param name="GradCam">A GradCAM explanation: forward, the head's gradient at the layer, weights, post-processing.</param>
/// <param name="ShapleyCam">A ShapleyCAM explanation: as GradCAM, with H·A from forward-over-reverse of the head.</param>
/// <param name="FullHvp">Gradient and H·v of the ReST utility through the whole network with respect to the input.</param>
/// <param name="MultiplyAdds">Multiply-adds of one image's forward pass (the model's <see cref="NativeCam.Engine.Graph.Model.MultiplyAdds"/>).</param>
/// <param name="Layer">The target layer of the CAM workloads.</param>
public sealed record ModelBenchmarkResult(LatencyStats Forward, LatencyStats GradCam, LatencyStats ShapleyCam, LatencyStats FullHvp,
    long MultiplyAdds, string Layer)
{
    /// <summary>Images per run (the batch the workloads ran on).</summary>
    public int Batch { get; init; } = 1;

    /// <summary>Forward GFLOP/s: 2 × multiply-adds of the batch over the median forward time.</summary>
    public double ForwardGflops => 2.0 * MultiplyAdds * Batch / (Forward.MedianMs * 1e-3) / 1e9;

    /// <summary>Images per second of a workload at its median: <see cref="Batch"/> over the median time.</summary>
    public double ImagesPerSecond(LatencyStats workload) => Batch / (workload.MedianMs * 1e-3);
}

/// <summary>
/// Latency of the four workloads of an explanation on a fixed seeded random input of the model's input shape
/// (uniform in [−2, 2], the range of normalised ImageNet pixels), each timed by <see cref="LatencyBench"/>.
/// </summary>
public static class ModelBenchmark
{
    /// <summary>The workload names, in the order they run.</summary>
    public static readonly IReadOnlyList<string> Workloads = ["forward", "gradcam", "shapleycam", "full-hvp"];

    /// <summary>Measures <paramref name="model"/> (imported for batch 1).</summary>
    /// <param name="model">The model; it runs on its own backend and thread count.</param>
    /// <param name="options">Warm-up and timing lengths.</param>
    /// <param name="seed">Seed of the input and of the H·v direction.</param>
    /// <param name="layer">Target layer of the CAM workloads (default: <see cref="LayerSelection.Auto"/>).</param>
    /// <param name="progress">Called with each workload's name before it is timed.</param>
    /// <param name="cancellation">Checked between runs.</param>
    /// <param name="batch">Images per run: every workload runs on a batch of this many images (the model built for it).</param>
    public static ModelBenchmarkResult Run(Model model, LatencyBenchOptions? options = null, int seed = 0, string? layer = null,
        Action<string>? progress = null, CancellationToken cancellation = default, int batch = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        long multiplyAdds = model.MultiplyAdds / Math.Max(1, model.InputShape[0]); // per image
        if (batch != model.InputShape[0]) model = model.ForBatch(batch);
        var dtype = model.DType;
        var backend = model.Backend;
        var input = Tensor.Uniform(model.InputShape, seed, -2, 2, dtype, backend);
        layer ??= LayerSelection.Auto(model);
        var explainer = new Explainer(model);
        var gradcam = new ExplainOptions { Methods = ["gradcam"], Layers = [layer] };
        var shapleycam = new ExplainOptions { Methods = ["shapleycam"], Layers = [layer] };

        // full network: u(x) = ReST of the top-1 class, differentiated twice through every layer with respect to x
        int[] classes = LayerProbe.TopOne(LayerProbe.Logits(model.Run(input)));
        var direction = Tensor.Uniform(model.InputShape, seed + 1, -1, 1, dtype, backend);
        Tensor Utility(Tensor x) => Utilities.Evaluate(Probe.Utility.Rest, LayerProbe.Logits(model.Run(x)), classes);

        LatencyStats Time(string name, Action run)
        {
            progress?.Invoke(name);
            return LatencyBench.Measure(run, options, cancellation);
        }
        // results are disposed at once: on a GPU backend their device memory must not pile up over the runs
        var forward = Time(Workloads[0], () => model.Run(input).Dispose());
        var grad = Time(Workloads[1], () => explainer.Explain(input, gradcam));
        var shapley = Time(Workloads[2], () => explainer.Explain(input, shapleycam));
        var hvp = Time(Workloads[3], () =>
        {
            // every tensor of the sweep is disposed at the scope's end, so the next run reuses its memory
            using var scope = TensorScope.Begin();
            Ad.GradAndHvp(Utility, input, direction);
        });
        return new ModelBenchmarkResult(forward, grad, shapley, hvp, multiplyAdds, layer) { Batch = batch };
    }
}
