using NativeCam.Cam.Attribution;
using NativeCam.Cam.Metrics;
using NativeCam.Cam.Shapley;
using NativeCam.Engine;
using NativeCam.Engine.Graph;

namespace NativeCam.Cam.Evaluation;

/// <summary>
/// The attribution metrics of an evaluation: ARCC (from the row's coherency, complexity and ROAD), faithfulness
/// correlation, monotonicity, and the sanity checks of Adebayo et al. — model randomisation (the method re-run, same
/// class, on copies of the model whose top 1, 2, … weight layers are re-drawn in cascade, <see cref="ModelWeights"/>)
/// and random logit (the method on a random other class). Randomised models are built once per depth and shared by
/// every image. A model without weight layers reading graph constants cannot be randomised: asking for the check on
/// one is an error (int8 QOperator models qualify: their dequantised weights are graph constants).
/// </summary>
public sealed class AttributionEvaluation
{
    private readonly Model _model;
    private readonly EvaluationOptions _options;
    private readonly Func<IReadOnlyList<string>, int[]?, long, ExplainOptions> _explainOptions;
    private readonly ProbabilityModel _probabilities;
    private readonly ProbabilityModel _logits;
    private readonly int _height, _width;
    private readonly Lazy<Explainer>[] _randomized;

    /// <summary>Prepares the metrics of <paramref name="options"/> for a model.</summary>
    /// <param name="model">The classifier.</param>
    /// <param name="options">The evaluation's settings.</param>
    /// <param name="probabilities">The classifier's softmax as a batched function.</param>
    /// <param name="explainOptions">The explain options of the evaluation for some methods, classes and the image's index.</param>
    public AttributionEvaluation(Model model, EvaluationOptions options, ProbabilityModel probabilities,
        Func<IReadOnlyList<string>, int[]?, long, ExplainOptions> explainOptions)
    {
        _model = model;
        _options = options;
        _probabilities = probabilities;
        _explainOptions = explainOptions;
        options.Parameters.Attribution.Metrics.Validate();
        (int c, _height, _width) = (model.InputShape[1], model.InputShape[2], model.InputShape[3]);
        _logits = ProbabilityModels.FromTensor(batch => ClassifierOutput.ToLogits(model.ForBatch(batch.Shape[0]).Run(batch)),
            c, _height, _width, options.BatchSize, model.Backend);
        int layers = ModelWeights.Layers(model).Count;
        if (layers == 0 && options.Metrics.HasFlag(EvaluationMetrics.ModelRandomization))
            throw new ArgumentException($"{model.File}: model-randomization re-draws the weights of Conv/Gemm/MatMul layers that read them as graph " +
                "constants, and this model has none");
        int top = Parameters.RandomizedLayers == 0 ? layers : Math.Min(layers, Parameters.RandomizedLayers);
        _randomized = Enumerable.Range(1, top)
            .Select(k => new Lazy<Explainer>(() => new Explainer(ModelWeights.Randomized(model, k, options.Seed)))).ToArray();
    }

    /// <summary>The metric families this part computes.</summary>
    public const EvaluationMetrics Families = EvaluationMetrics.Arcc | EvaluationMetrics.FaithfulnessCorrelation |
        EvaluationMetrics.Monotonicity | EvaluationMetrics.ModelRandomization | EvaluationMetrics.RandomLogit;

    private AttributionMetricParameters Parameters => _options.Parameters.Attribution.Metrics;

    /// <summary>The names of the weight layers the model-randomisation check re-draws, from the top.</summary>
    public IReadOnlyList<string> RandomizedLayers =>
        ModelWeights.Layers(_model).Reverse().Take(_randomized.Length).Select(l => l.Node).ToArray();

    /// <summary>The scores of one image under one method, or null when no attribution metric was asked.</summary>
    /// <param name="method">The method.</param>
    /// <param name="sample">x, the final map and the class.</param>
    /// <param name="row">The image's row (its coherency, complexity and ROAD feed ARCC).</param>
    /// <param name="index">The image's index in the run (random methods seed by it).</param>
    public AttributionScores? Score(string method, MetricSample sample, ImageResult row, long index = 0)
    {
        var m = _options.Metrics;
        if ((m & Families) == 0) return null;
        var x = Array.ConvertAll(sample.Input, v => (double)v);
        int seed = AttributionSeeds.For(_options.Seed, x, method + "/faithfulness-correlation");
        double? arcc = m.HasFlag(EvaluationMetrics.Arcc) && row.Coherency is { } coh && row.Road is { } road
            ? Arcc.Of(coh, row.Complexity, road.Combined) : null;
        double? faithfulness = m.HasFlag(EvaluationMetrics.FaithfulnessCorrelation)
            ? FaithfulnessCorrelation.Score(_logits, sample.Input, sample.Mask, sample.ClassIndex, Parameters.FaithfulnessRuns,
                Parameters.FaithfulnessSubset, seed) : null;
        double? monotonic = m.HasFlag(EvaluationMetrics.Monotonicity)
            ? Monotonicity.Score(_probabilities, sample.Input, sample.Mask, sample.ClassIndex, Parameters.MonotonicityStep) : null;
        double[]? spearman = null, ssim = null;
        if (m.HasFlag(EvaluationMetrics.ModelRandomization))
        {
            spearman = new double[_randomized.Length];
            ssim = new double[_randomized.Length];
            for (int k = 0; k < _randomized.Length; k++)
            {
                var map = MapOf(_randomized[k].Value, method, sample.Input, sample.ClassIndex, index);
                spearman[k] = RankStatistics.Spearman(Array.ConvertAll(sample.Mask, v => (double)v), Array.ConvertAll(map, v => (double)v));
                ssim[k] = Ssim.Of(sample.Mask, map, _height, _width);
            }
        }
        int? other = null;
        double? logitSsim = null;
        if (m.HasFlag(EvaluationMetrics.RandomLogit))
        {
            int classes = _probabilities([sample.Input])[0].Length;
            other = RandomOtherClass(sample.ClassIndex, classes, AttributionSeeds.For(_options.Seed, x, method + "/random-logit"));
            var map = MapOf(new Explainer(_model), method, sample.Input, other.Value, index);
            logitSsim = Ssim.Of(sample.Mask, map, _height, _width);
        }
        return new AttributionScores(arcc, faithfulness, monotonic, spearman, ssim, other, logitSsim);
    }

    /// <summary>A class other than <paramref name="explained"/>, uniform over the other K − 1 (Quantus' random logit).</summary>
    public static int RandomOtherClass(int explained, int classes, int seed)
    {
        if (classes < 2) throw new ArgumentException("the random-logit check needs a model with at least two classes");
        int k = new Random(seed).Next(classes - 1);
        return k >= explained ? k + 1 : k;
    }

    private float[] MapOf(Explainer explainer, string method, float[] input, int cls, long index)
    {
        using var x = Tensor.FromArray(input, [1, .. _model.InputShape[1..]], _model.Backend);
        return explainer.Explain(x, _explainOptions([method], [cls], index)).Methods[0].Maps[0];
    }
}
