using System.Globalization;

namespace NativeCam.Cam.Evaluation;

/// <summary>A merged evaluation and the notes about it (e.g. shards that were not given).</summary>
public sealed record MergedEvaluation(EvaluationReport Report, IReadOnlyList<string> Warnings);

/// <summary>Combines partial evaluations (shards) into one, recomputing every figure from the per-image rows.</summary>
public static class EvaluationMerge
{
    /// <summary>
    /// Checks that the parts agree (model, layer, utility, methods in order, metric families, curve lengths, shard
    /// count) and hold no (image, method) row twice, then summarises the combined rows exactly as a whole run does.
    /// </summary>
    /// <param name="parts">Each part with the name of the file it came from (used in messages).</param>
    /// <exception cref="InvalidDataException">The parts disagree; the message names the files.</exception>
    public static MergedEvaluation Merge(IReadOnlyList<(string Source, EvaluationReport Report)> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
            throw new ArgumentException("nothing to merge");
        var (firstSource, first) = parts[0];
        var methods = first.Results.Select(r => r.Method).ToList();
        var metrics = first.Metrics;
        var rows = new List<ImageResult>();
        var seen = new Dictionary<(string, string), string>();
        foreach (var (source, report) in parts)
        {
            Same(source, "model", report.Model, firstSource, first.Model);
            Same(source, "layer", report.Layer, firstSource, first.Layer);
            Same(source, "utility", report.Utility, firstSource, first.Utility);
            Same(source, "methods", string.Join(",", report.Results.Select(r => r.Method)), firstSource, string.Join(",", methods));
            if (metrics is not null && report.Metrics is not null)
                Same(source, "metrics", string.Join(",", report.Metrics), firstSource, string.Join(",", metrics));
            foreach (var row in report.PerImage)
            {
                if (!methods.Contains(row.Method))
                    throw new InvalidDataException($"{source}: a row of {row.Image} has method '{row.Method}', which is not among its results");
                if (seen.TryGetValue((row.Image, row.Method), out var other))
                    throw new InvalidDataException($"{source}: image {row.Image} ({row.Method}) is also in {other}; each image must be in one part only");
                seen[(row.Image, row.Method)] = source;
                CheckCurves(source, row, rows.Count > 0 ? rows[0] : null, firstSource);
                rows.Add(row);
            }
        }
        var warnings = CheckShards(parts);
        var merged = new EvaluationReport(first.Model, first.Layer, first.Utility,
            rows.Select(r => r.Image).Distinct(StringComparer.Ordinal).Count(), null,
            EvaluationSummaries.Summarize(methods, rows), rows)
        {
            Metrics = metrics,
        };
        return new MergedEvaluation(merged, warnings);
    }

    private static void Same(string source, string what, string value, string firstSource, string expected)
    {
        if (!string.Equals(value, expected, StringComparison.Ordinal))
            throw new InvalidDataException($"{source}: {what} '{value}' differs from '{expected}' in {firstSource}");
    }

    private static void CheckCurves(string source, ImageResult row, ImageResult? reference, string firstSource)
    {
        if (reference is null)
            return;
        if (row.DeletionCurve?.Length != reference.DeletionCurve?.Length || row.InsertionCurve?.Length != reference.InsertionCurve?.Length)
            throw new InvalidDataException($"{source}: the deletion/insertion curves of {row.Image} have other lengths than those of " +
                                           $"{reference.Image} (from {firstSource}); were the parts run with the same --steps and --metrics?");
    }

    /// <summary>Shard labels "K/N": one N for all, no K twice; missing K only warned about.</summary>
    private static List<string> CheckShards(IReadOnlyList<(string Source, EvaluationReport Report)> parts)
    {
        var warnings = new List<string>();
        var byIndex = new Dictionary<int, string>();
        int? count = null;
        string? countSource = null;
        foreach (var (source, report) in parts)
        {
            if (report.Shard is null)
            {
                warnings.Add($"{source}: not a shard (a whole run); merged as is");
                continue;
            }
            var (k, n) = ParseShard(report.Shard, source);
            if (count is int c && c != n)
                throw new InvalidDataException($"{source}: shard {report.Shard} is one of {n}, but {countSource} is one of {c}");
            count = n;
            countSource = source;
            if (byIndex.TryGetValue(k, out var other))
                throw new InvalidDataException($"{source}: shard {report.Shard} is given twice (also {other})");
            byIndex[k] = source;
        }
        if (count is int total)
        {
            var missing = Enumerable.Range(0, total).Where(k => !byIndex.ContainsKey(k)).ToList();
            if (missing.Count > 0)
                warnings.Add($"shard(s) {string.Join(", ", missing.Select(k => $"{k}/{total}"))} not given; the figures cover the given shards only");
        }
        return warnings;
    }

    /// <summary>Parses "K/N" with 0 ≤ K &lt; N.</summary>
    /// <exception cref="InvalidDataException">Malformed.</exception>
    public static (int Index, int Count) ParseShard(string shard, string source)
    {
        if (!TryParseShard(shard, out int k, out int n))
            throw new InvalidDataException($"{source}: shard '{shard}' is not K/N with 0 ≤ K < N");
        return (k, n);
    }

    /// <summary>Whether <paramref name="shard"/> is "K/N" with integers 0 ≤ K &lt; N.</summary>
    public static bool TryParseShard(string shard, out int index, out int count)
    {
        index = count = 0;
        var parts = shard.Split('/');
        return parts.Length == 2
               && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out index)
               && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out count)
               && count > 0 && index < count;
    }
}
