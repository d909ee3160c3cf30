using System.Globalization;

namespace NativeCam.Benchmarks.VsOrt;

/// <summary>The settings of <c>vs-ort</c>, parsed from its command line.</summary>
/// <param name="ModelsDir">Every <c>.onnx</c> file in this folder is measured (not recursive), in name order.</param>
/// <param name="Json">Print one JSON document instead of tables.</param>
/// <param name="Threads">Thread counts, each used by both engines.</param>
/// <param name="Batches">Batch sizes.</param>
/// <param name="MinSeconds">Each cell is timed at least this long (both engines together)…</param>
/// <param name="MinRuns">…and each engine at least this many runs.</param>
/// <param name="Warmup">Untimed runs of each engine first.</param>
/// <param name="Tolerance">Largest accepted relative difference of the outputs (see <see cref="Agreement"/>).</param>
/// <param name="Only">Measure only the files whose name contains one of these (all when empty).</param>
public sealed record VsOrtOptions(string ModelsDir, bool Json, int[] Threads, int[] Batches, double MinSeconds, int MinRuns,
    int Warmup, double Tolerance, string[] Only)
{
    /// <summary>Measure each engine's peak working set in a process of its own (on by default; <c>--no-memory</c>).</summary>
    public bool Memory { get; init; } = true;

    /// <summary>The usage line.</summary>
    public const string Usage =
        "vs-ort --models DIR [--json] [--threads 1,2] [--batches 1,16] [--min-seconds 3] [--min-runs 5] [--warmup 2] " +
        "[--tolerance 1e-3] [--only NAME[,NAME...]] [--no-memory]";

    /// <summary>Parses the arguments that follow <c>vs-ort</c>.</summary>
    /// <exception cref="ArgumentException">An unknown option, a missing or malformed value, or a value out of range.</exception>
    public static VsOrtOptions Parse(IReadOnlyList<string> args)
    {
        string? dir = null;
        bool json = false;
        int[] threads = [1, 2], batches = [1, 16];
        double minSeconds = 3, tolerance = 1e-3;
        int minRuns = 5, warmup = 2;
        string[] only = [];
        bool memory = true;
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i] : throw new ArgumentException($"{name}: a value is missing");
            switch (name)
            {
                case "--models": dir = Value(); break;
                case "--json": json = true; break;
                case "--no-memory": memory = false; break;
                case "--threads": threads = IntList(name, Value(), 1, 1024); break;
                case "--batches": batches = IntList(name, Value(), 1, 4096); break;
                case "--min-seconds": minSeconds = Number(name, Value(), 0, 3600); break;
                case "--min-runs": minRuns = (int)Number(name, Value(), 1, 100_000, integer: true); break;
                case "--warmup": warmup = (int)Number(name, Value(), 0, 1000, integer: true); break;
                case "--tolerance": tolerance = Number(name, Value(), 0, 1); break;
                case "--only": only = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                default: throw new ArgumentException($"unknown argument '{name}'");
            }
        }
        if (dir is null) throw new ArgumentException("--models DIR is required");
        return new VsOrtOptions(dir, json, threads, batches, minSeconds, minRuns, warmup, tolerance, only) { Memory = memory };
    }

    /// <summary>The <c>.onnx</c> files to measure, sorted by name (symbolic links resolved to their targets).</summary>
    /// <exception cref="ArgumentException">The folder does not exist or holds no matching model.</exception>
    public IReadOnlyList<string> ModelFiles()
    {
        if (!Directory.Exists(ModelsDir)) throw new ArgumentException($"--models {ModelsDir}: no such folder");
        var files = Directory.GetFiles(ModelsDir, "*.onnx")
            .Where(f => Only.Length == 0 || Only.Any(o => Path.GetFileName(f).Contains(o, StringComparison.OrdinalIgnoreCase)))
            .Order(StringComparer.Ordinal)
            .Select(f => new FileInfo(f).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? f).ToArray();
        return files.Length > 0 ? files
            : throw new ArgumentException($"--models {ModelsDir}: no .onnx file{(Only.Length > 0 ? " matching --only" : "")}");
    }

    private static double Number(string name, string text, double min, double max, bool integer = false)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v)
            || (integer && v != Math.Floor(v)))
            throw new ArgumentException($"{name} {text}: expected {(integer ? "an integer" : "a number")}");
        if (v < min || v > max) throw new ArgumentException($"{name} {text}: must be between {min} and {max}");
        return v;
    }

    private static int[] IntList(string name, string text, int min, int max)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = parts.Select(p => (int)Number(name, p, min, max, integer: true)).ToArray();
        if (values.Distinct().Count() != values.Length) throw new ArgumentException($"{name} {text}: a value is repeated");
        return values;
    }
}
