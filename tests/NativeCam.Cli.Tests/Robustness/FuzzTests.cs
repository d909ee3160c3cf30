using NativeCam.Cli.Tests.Support;
using NativeCam.Fuzz.Fuzzing;

namespace NativeCam.Cli.Tests.Robustness;

/// <summary>
/// The seeded mutation fuzzer, in process: every mutant of the PNG/JPEG/BMP seeds and of the ONNX models (fixture
/// models and the embedded MobileNetV2) loads or is refused with a documented exception type, within the time and
/// allocation budget of one case. Longer runs: `dotnet run --project tests/NativeCam.Fuzz -c Release -- fuzz --minutes 30`.
/// </summary>
public class FuzzTests
{
    [Fact]
    public void SeededMutantsLoadOrAreRefusedWithDocumentedErrors()
    {
        var summary = FuzzRun.Run(Seeds.Images(), Seeds.Models(AppContext.BaseDirectory, maxFixtures: 2), imageCases: 2000, modelCases: 500, seed: 20261207);
        Assert.True(summary.Failures.Count == 0,
            string.Join("\n\n", summary.Failures.Take(3).Select(f => $"{f.Seed} case {f.Case}: {f.Detail}")));
        Assert.Equal(2500, summary.Cases);
        Assert.True(summary.LargestAllocation <= FuzzTargets.MaxCaseBytes);
        // the mutants get past the first checks: every kind of input is sometimes accepted, sometimes refused
        foreach (var kind in Enum.GetValues<InputKind>())
        {
            Assert.True(summary.Counts.GetValueOrDefault((kind, Outcome.Loaded)) > 0, $"no {kind} mutant loaded: {summary}");
            Assert.True(summary.Counts.GetValueOrDefault((kind, Outcome.Refused)) > 0, $"no {kind} mutant refused: {summary}");
        }
    }

    [Fact]
    public void CrashCorpusReplaysWithoutFailures()
    {
        var folder = Path.Combine(RobustPaths.Repo, "tests", "fuzz", "regressions");
        var files = Directory.GetFiles(folder).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(files);
        foreach (var f in files)
        {
            var bytes = File.ReadAllBytes(f);
            var r = f.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? FuzzTargets.Model(bytes) : FuzzTargets.Image(bytes);
            Assert.True(r.Outcome != Outcome.Failed, $"{Path.GetFileName(f)}: {r.Detail}");
        }
    }

    [Fact]
    public void MutationsAreReproducibleFromTheSeed()
    {
        var seed = Seeds.Images()[0];
        var a = new Mutator(5);
        var b = new Mutator(5);
        for (int i = 0; i < 50; i++) Assert.Equal(a.Mutate(seed.Bytes, seed.Kind, seed.Map), b.Mutate(seed.Bytes, seed.Kind, seed.Map));
    }
}
