using System.Diagnostics;

namespace NativeCam.Fuzz.Fuzzing;

/// <summary>One failing case: enough to reproduce it.</summary>
public sealed record FuzzFailure(string Seed, int Case, InputKind Kind, byte[] Input, string Detail);

/// <summary>Counts of a run.</summary>
public sealed class FuzzSummary
{
    /// <summary>Cases per kind and outcome.</summary>
    public Dictionary<(InputKind Kind, Outcome Outcome), int> Counts { get; } = [];

    /// <summary>The failing cases.</summary>
    public List<FuzzFailure> Failures { get; } = [];

    /// <summary>Cases run.</summary>
    public int Cases => Counts.Values.Sum();

    /// <summary>The slowest case in seconds.</summary>
    public double SlowestSeconds { get; set; }

    /// <summary>The largest managed allocation of one case.</summary>
    public long LargestAllocation { get; set; }

    /// <summary>Wall-clock seconds of the run.</summary>
    public double Seconds { get; set; }

    /// <summary>One line per kind and outcome.</summary>
    public override string ToString() =>
        string.Join("; ", Counts.OrderBy(kv => kv.Key.Kind).ThenBy(kv => kv.Key.Outcome).Select(kv => $"{kv.Key.Kind} {kv.Key.Outcome.ToString().ToLowerInvariant()}: {kv.Value}")) +
        $"; {Cases} cases in {Seconds:0.0} s, slowest {SlowestSeconds:0.00} s, largest allocation {LargestAllocation >> 20} MiB, {Failures.Count} failure(s)";
}

/// <summary>The seeded mutation fuzzer: mutants of each seed, in turn, through <see cref="FuzzTargets"/>.</summary>
public static class FuzzRun
{
    /// <summary>Runs <paramref name="imageCases"/> image mutants and <paramref name="modelCases"/> model mutants, or until <paramref name="budget"/>.</summary>
    public static FuzzSummary Run(IReadOnlyList<Seed> images, IReadOnlyList<Seed> models, int imageCases, int modelCases, int seed,
        TimeSpan? budget = null, Action<string>? progress = null, Action<int, Seed, byte[]>? starting = null)
    {
        var summary = new FuzzSummary();
        var clock = Stopwatch.StartNew();
        var mutator = new Mutator(seed);
        int total = imageCases + modelCases;
        for (int i = 0, img = 0, mdl = 0; i < total; i++)
        {
            if (budget is { } b && clock.Elapsed > b) break;
            // interleave so that a time budget covers both kinds
            bool image = img < imageCases && images.Count > 0
                         && (mdl >= modelCases || models.Count == 0 || (long)img * modelCases <= (long)mdl * imageCases);
            if (!image && (mdl >= modelCases || models.Count == 0)) break;
            var pool = image ? images : models;
            var s = pool[(image ? img : mdl) % pool.Count];
            var input = mutator.Mutate(s.Bytes, s.Kind, s.Map);
            starting?.Invoke(i, s, input);
            var r = image ? FuzzTargets.Image(input) : FuzzTargets.Model(input);
            if (image) img++; else mdl++;
            var key = (s.Kind, r.Outcome);
            summary.Counts[key] = summary.Counts.GetValueOrDefault(key) + 1;
            summary.SlowestSeconds = Math.Max(summary.SlowestSeconds, r.Seconds);
            summary.LargestAllocation = Math.Max(summary.LargestAllocation, r.AllocatedBytes);
            if (r.Outcome == Outcome.Failed)
            {
                summary.Failures.Add(new FuzzFailure(s.Name, i, s.Kind, input, r.Detail));
                progress?.Invoke($"FAILED {s.Name} case {i}: {r.Detail.Split('\n')[0]}");
            }
            if (progress is not null && (i + 1) % 500 == 0) progress($"{i + 1} cases, {clock.Elapsed.TotalSeconds:0} s");
        }
        summary.Seconds = clock.Elapsed.TotalSeconds;
        return summary;
    }
}
