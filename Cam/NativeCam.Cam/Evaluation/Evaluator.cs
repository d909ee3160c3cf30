using System.Diagnostics;
using NativeCam.Cam.Methods;
using NativeCam.Cam.Metrics;
using NativeCam.Engine;
using NativeCam.Engine.Graph;
using NativeCam.Kernels;

namespace NativeCam.Cam.Evaluation;

/// <summary>
/// The paper's evaluation protocol (shapleycam.md §5) on a batch of images (one forward pass and probe): predict c (top-1), compute every
/// method's final map m as <see cref="Explainer"/> does, then score it — Y/O/D and complexity always, coherency
/// (the same method, utility and class re-run on x ⊙ m), ROAD and the deletion/insertion curves when asked. The
/// masked images of each metric go through the model in batches.
/// </summary>
public sealed class Evaluator
{
    private readonly Explainer _explainer;
    private readonly IKernels _backend;
    private readonly int _channels, _height, _width;
    private readonly AttributionEvaluation _attribution;

    /// <summary>Prepares an evaluation of a classifier with input [N, C, H, W].</summary>
    /// <exception cref="ArgumentException">Unknown method names, a model that is not an image classifier, or bad settings.</exception>
    public Evaluator(Model model, EvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Options = options ?? new EvaluationOptions();
        if (Options.Methods.Count == 0)
            throw new ArgumentException("at least one method is needed");
        foreach (var m in Options.Methods)
            CamMethods.Create(m);
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.CurveSteps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.BatchSize, 1);
        if (model.InputShape.Length != 4)
            throw new ArgumentException($"{model.File}: expected an image classifier with input [N, C, H, W]; got [{string.Join(", ", model.InputShape)}]");
        _explainer = new Explainer(model);
        _backend = model.Backend;
        (_channels, _height, _width) = (model.InputShape[1], model.InputShape[2], model.InputShape[3]);
        Layers = Options.Layers.Count > 0 ? Options.Layers.ToArray() : [LayerSelection.Auto(model)];
        MaxBatch = Options.MaxBatch ?? MetricBatch.For(model, MetricCalls());
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatch, 1);
        Probabilities = ProbabilityModels.FromTensor(SoftmaxOf, _channels, _height, _width, MaxBatch, _backend);
        _attribution = new AttributionEvaluation(model, Options, Probabilities,
            (methods, classes, index) => ExplainOptionsFor(methods, classes, [index], call: 2));
        ImportBatchSizes();
    }

    /// <summary>The settings.</summary>
    public EvaluationOptions Options { get; }

    /// <summary>The target layers used (the automatic one resolved).</summary>
    public IReadOnlyList<string> Layers { get; }

    /// <summary>Most images per model call of the metrics (<see cref="EvaluationOptions.MaxBatch"/>, or derived from the model).</summary>
    public int MaxBatch { get; }

    /// <summary>The classifier as a batched probability function (softmax of the logits).</summary>
    public ProbabilityModel Probabilities { get; }

    /// <summary>Evaluates one preprocessed image under every method.</summary>
    /// <param name="image">The image's name in the rows.</param>
    /// <param name="input">The normalised input, C·H·W values (CHW order).</param>
    /// <param name="index">The image's index in the run (random methods seed each image and call by it).</param>
    public ImageEvaluation Evaluate(string image, float[] input, long index = 0) => EvaluateBatch([new EvaluationInput(image, input, index)])[0];

    /// <summary>
    /// Evaluates a batch of preprocessed images under every method: one forward pass and one probe for the batch,
    /// then each image's metrics. Each image's results equal its <see cref="Evaluate"/> alone (the explanation of
    /// a batch is the explanation of each image; the random methods seed by the image's index).
    /// </summary>
    public IReadOnlyList<ImageEvaluation> EvaluateBatch(IReadOnlyList<EvaluationInput> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0) return [];
        int size = _channels * _height * _width;
        var data = new float[images.Count * size];
        for (int b = 0; b < images.Count; b++)
        {
            var (name, input, _) = images[b];
            ArgumentNullException.ThrowIfNull(name);
            ArgumentNullException.ThrowIfNull(input);
            if (input.Length != size)
                throw new ArgumentException($"{name}: input of {input.Length} values, the model expects {_channels}×{_height}×{_width}");
            input.CopyTo(data, b * size);
        }
        Explanation explanation;
        using (var x = Tensor.FromArray(data, [images.Count, _channels, _height, _width], _backend))
            explanation = _explainer.Explain(x, ExplainOptionsFor(Options.Methods, null, images.Select(i => i.Index).ToArray(), call: 0));
        // the batch's forward pass runs once per batch, between hundreds of metric calls: its memory plan would hold
        // its blocks for the rest of the run (142 MB for 8 images of MobileNetV2), so it is dropped
        _explainer.ForBatch(images.Count).WithKept(Layers).Executor.ClearMemoryPlans();
        var results = new List<ImageEvaluation>(images.Count);
        var clock = new Stopwatch();
        for (int b = 0; b < images.Count; b++)
        {
            var (name, input, index) = images[b];
            int c = explanation.Classes[b];
            var rows = new List<ImageResult>();
            var maps = new List<float[]>();
            for (int i = 0; i < Options.Methods.Count; i++)
            {
                clock.Restart();
                var map = explanation.Methods[i].Maps[b];
                var row = Score(name, index, Options.Methods[i], new MetricSample(input, map, c));
                // the shared probe counts fully for every method (each would need it alone); a batch's share per image
                double seconds = (explanation.ProbeSeconds + explanation.Methods[i].Seconds) / images.Count + clock.Elapsed.TotalSeconds;
                rows.Add(row with { Seconds = seconds });
                maps.Add(map);
            }
            results.Add(new ImageEvaluation(rows, maps, explanation.Height, explanation.Width));
        }
        return results;
    }

    private ImageResult Score(string image, long index, string method, MetricSample sample)
    {
        var metrics = Options.Metrics;
        var scores = (metrics & (EvaluationMetrics.Adcc | EvaluationMetrics.Arcc)) != 0
            ? FaithfulnessScorer.Score(Probabilities, [sample], (kept, classes) => MapsOf(method, kept, classes, index))[0]
            : FaithfulnessScorer.Score(Probabilities, [sample])[0];
        var road = (metrics & (EvaluationMetrics.Road | EvaluationMetrics.Arcc)) != 0 ? Road.Score(Probabilities, [sample], Options.Road)[0] : null;
        var deletion = metrics.HasFlag(EvaluationMetrics.Deletion)
            ? PixelCurves.Deletion(Probabilities, [sample], Options.CurveSteps)[0].Probabilities : null;
        var insertion = metrics.HasFlag(EvaluationMetrics.Insertion)
            ? PixelCurves.Insertion(Probabilities, [sample], Options.CurveSteps)[0].Probabilities : null;
        var row = new ImageResult(image, method, sample.ClassIndex, scores.Y, scores.O, scores.D, scores.Complexity,
            scores.Coherency, road, deletion, insertion, 0);
        return row with { Attribution = _attribution.Score(method, sample, row, index) };
    }

    /// <summary>m′: the same method, utility and class on each x ⊙ m, in one batch (call 1: random methods draw anew).</summary>
    private float[][] MapsOf(string method, float[][] inputs, int[] classes, long index)
    {
        int size = _channels * _height * _width;
        var data = new float[inputs.Length * size];
        for (int i = 0; i < inputs.Length; i++)
            inputs[i].CopyTo(data, i * size);
        using var batch = Tensor.FromArray(data, [inputs.Length, _channels, _height, _width], _backend);
        return _explainer.Explain(batch, ExplainOptionsFor([method], classes, [.. Enumerable.Repeat(index, inputs.Length)], call: 1)).Methods[0].Maps;
    }

    /// <summary>Images of each kind of metric model call: one image (coherency's x ⊙ m, the attribution metrics),
    /// x, x ⊙ m and x ⊙ (1 − m), ROAD's imputed images, a curve's points.</summary>
    private List<int> MetricCalls()
    {
        var counts = new List<int> { 1, 3 };
        if ((Options.Metrics & (EvaluationMetrics.Deletion | EvaluationMetrics.Insertion)) != 0) counts.Add(Options.CurveSteps + 1);
        if (Options.Metrics.HasFlag(EvaluationMetrics.Road)) counts.Add(2 * (Options.Road?.Percentiles ?? RoadOptions.DefaultPercentiles).Count);
        return counts;
    }

    /// <summary>
    /// Imports the model for the batch sizes the metrics use (each call's chunks and remainder) up front, so the
    /// per-image seconds measure the evaluation rather than one-off imports.
    /// </summary>
    private void ImportBatchSizes()
    {
        foreach (var n in MetricBatch.ChunkSizes(MetricCalls(), MaxBatch))
            _explainer.ForBatch(n);
    }

    private ExplainOptions ExplainOptionsFor(IReadOnlyList<string> methods, int[]? classes, long[] indices, int call) => new()
    {
        ImageIndices = indices,
        Call = call,
        Methods = methods,
        Layers = Layers,
        Utility = Options.Utility,
        Classes = classes,
        Layout = Options.Layout,
        Seed = Options.Seed,
        BatchSize = Options.BatchSize,
        Parameters = Options.Parameters,
    };

    /// <summary>Softmax probabilities of a batch (made on the model's backend by <see cref="Probabilities"/>).</summary>
    private Tensor SoftmaxOf(Tensor batch)
    {
        using var output = _explainer.ForBatch(batch.Shape[0]).Run(batch);
        var logits = ClassifierOutput.ToLogits(output);
        var p = logits.Softmax(1);
        if (!ReferenceEquals(logits, output)) logits.Dispose();
        return p;
    }
}

/// <summary>One image of an evaluation batch.</summary>
/// <param name="Image">The image's name in the rows.</param>
/// <param name="Input">The normalised input, C·H·W values (CHW order).</param>
/// <param name="Index">The image's index in the run (random methods seed each image and call by it).</param>
public sealed record EvaluationInput(string Image, float[] Input, long Index = 0);
