using NativeCam.Cam.Evaluation;
using NativeCam.Cam.Methods;
using NativeCam.Cam.Probe;
using NativeCam.Cli.Infrastructure;

namespace NativeCam.Cli.Commands;

/// <summary>The eval command's options.</summary>
/// <param name="Seed">Seed of the random methods (each image and call draws from a seed derived from it).</param>
/// <param name="BatchSize">Images per forward pass and probe (null: 8 on the CPU, 32 on a GPU).</param>
/// <param name="Shard">(K, N): evaluate the images whose index (after sorting) is ≡ K mod N; null for all.</param>
public sealed record EvalSettings(string Images, string? ModelPath, IReadOnlyList<string> Methods, IReadOnlyList<string>? Layers,
    Utility Utility, int? Limit, EvaluationMetrics Metrics, bool Json, string? Report, string Output, (int Index, int Count)? Shard,
    int Steps, int ReportImages, string Device, int? Threads, bool Force, string? OutputName = null, bool AllowTruncated = false,
    MethodParameters? Parameters = null, int Seed = 0, int? BatchSize = null)
{
    /// <summary>--max-batch: most images per model call of the metrics (null: derived from the model).</summary>
    public int? MaxBatch { get; init; }

    /// <summary>Parses --metrics (unknown names are usage errors).</summary>
    public static EvaluationMetrics ParseMetrics(string value)
    {
        try { return EvaluationMetricNames.Parse(value); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    /// <summary>Parses --shard K/N (0 ≤ K &lt; N); null when absent.</summary>
    public static (int Index, int Count)? ParseShard(string? value)
    {
        if (value is null) return null;
        if (EvaluationMerge.TryParseShard(value.Trim(), out int k, out int n)) return (k, n);
        throw new UsageException($"--shard must be K/N with 0 ≤ K < N (e.g. 0/4 … 3/4); got '{value}'");
    }

    /// <summary>"K/N" for the report, or null.</summary>
    public string? ShardLabel => Shard is var (k, n) ? $"{k}/{n}" : null;
}
