using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using NativeCam.Cam.Evaluation;
using NativeCam.Cam.Output;
using NativeCam.Cli.Infrastructure;

namespace NativeCam.Cli.Commands;

/// <summary>One method's figures in the `eval --json` document (fractions; null when not computed).</summary>
public sealed record EvalMethodJson(string Method, double? AverageDrop, double? IncreaseInConfidence, double? AverageDropInDeletion,
    double? Coherency, double? Complexity, double? Adcc, double? RoadCombined, double? DeletionAuc, double? InsertionAuc,
    double? SecondsPerImage,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EvalAttributionJson? Attribution = null);

/// <summary>The `eval --json` document (docs/cli.md).</summary>
public sealed record EvalJson(string Model, string Layer, string Utility, int Images, IReadOnlyList<EvalMethodJson> Results);

/// <summary>What `eval` and `eval-merge` print and write: the JSON document, the CSV files, the text table, the HTML report.</summary>
public static class EvalOutputs
{
    /// <summary>The summary CSV (one row per method).</summary>
    public const string SummaryCsvName = "eval.csv";

    /// <summary>The per-image CSV (one row per image and method).</summary>
    public const string ImagesCsvName = "eval-images.csv";

    /// <summary>The JSON document, as printed by --json.</summary>
    public const string JsonName = "eval.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The file name of shard K of N.</summary>
    public static string ShardFileName(int index, int count) => $"eval.shard-{index}-of-{count}.json";

    /// <summary>The files of a whole run or a merge.</summary>
    public static readonly string[] WholeRunFiles = [JsonName, SummaryCsvName, ImagesCsvName];

    /// <summary>The --json document of a report.</summary>
    public static EvalJson Document(EvaluationReport report) =>
        new(report.Model, report.Layer, report.Utility, report.Images, report.Results.Select(s => new EvalMethodJson(s.Method,
            Finite(s.AverageDrop), Finite(s.IncreaseInConfidence), Finite(s.AverageDropInDeletion), Finite(s.Coherency),
            Finite(s.Complexity), Finite(s.Adcc), Finite(s.RoadCombined), Finite(s.DeletionAuc), Finite(s.InsertionAuc),
            Finite(s.SecondsPerImage), EvalAttributionJson.Of(s.Attribution))).ToList());

    /// <summary>The JSON text (nulls written, not omitted: a metric that was not computed is null).</summary>
    public static string JsonText(EvaluationReport report) => JsonSerializer.Serialize(Document(report), Options) + "\n";

    /// <summary>eval.csv: one row per method, the --json fields as columns; empty cells for metrics not computed; the
    /// model-randomization curves (one value per number of randomised layers) as ';'-separated lists.</summary>
    public static string SummaryCsv(EvaluationReport report)
    {
        var sb = new StringBuilder("method,images,averageDrop,increaseInConfidence,averageDropInDeletion,coherency,complexity,adcc,roadCombined,deletionAuc,insertionAuc,"
            + "arcc,faithfulnessCorrelation,monotonicity,randomizationSpearman,randomizationSsim,randomLogitSsim,secondsPerImage\n");
        foreach (var s in report.Results)
        {
            var a = s.Attribution;
            Row(sb, Csv(s.Method), Num(s.Images), Num(s.AverageDrop), Num(s.IncreaseInConfidence), Num(s.AverageDropInDeletion),
                Num(s.Coherency), Num(s.Complexity), Num(s.Adcc), Num(s.RoadCombined), Num(s.DeletionAuc), Num(s.InsertionAuc),
                Num(a?.Arcc), Num(a?.FaithfulnessCorrelation), Num(a?.Monotonicity),
                List(a?.RandomizationSpearman), List(a?.RandomizationSsim), Num(a?.RandomLogitSsim), Num(s.SecondsPerImage));
        }
        return sb.ToString();
    }

    /// <summary>eval-images.csv: one row per image and method (Y, O, D, complexity, coherency, ROAD, curve AUCs, the
    /// attribution metrics where computed, seconds).</summary>
    public static string ImagesCsv(EvaluationReport report)
    {
        var sb = new StringBuilder("image,method,class,y,o,d,complexity,coherency,roadCombined,deletionAuc,insertionAuc,"
            + "arcc,faithfulnessCorrelation,monotonic,randomizationSpearman,randomizationSsim,randomLogitClass,randomLogitSsim,seconds\n");
        foreach (var r in report.PerImage.OrderBy(r => r.Image, StringComparer.Ordinal))
        {
            var a = r.Attribution;
            Row(sb, Csv(r.Image), Csv(r.Method), Num(r.ClassIndex), Num(r.Y), Num(r.O), Num(r.D), Num(r.Complexity), Num(r.Coherency),
                Num(r.Road?.Combined), Num(r.DeletionCurve is { } dc ? Cam.Metrics.PixelCurves.TrapezoidAuc(dc) : null),
                Num(r.InsertionCurve is { } ic ? Cam.Metrics.PixelCurves.TrapezoidAuc(ic) : null),
                Num(a?.Arcc), Num(a?.FaithfulnessCorrelation), Num(a?.Monotonic), List(a?.RandomizationSpearman), List(a?.RandomizationSsim),
                a?.RandomLogitClass is int c ? Num(c) : "", Num(a?.RandomLogitSsim), Num(r.Seconds));
        }
        return sb.ToString();
    }

    /// <summary>A human-readable table (percent, as the paper prints it).</summary>
    public static void PrintText(TextWriter output, EvaluationReport report)
    {
        output.WriteLine($"{report.Model}, layer {report.Layer}, utility {report.Utility}: {report.Images} image(s)");
        output.WriteLine($"{"method",-20} {"AD↓",7} {"IC↑",7} {"ADD↑",7} {"Coh↑",7} {"Com↓",7} {"ADCC↑",7} {"ROAD↑",7} {"Del↓",7} {"Ins↑",7} {"s/img",7}");
        foreach (var s in report.Results)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{s.Method,-20} {Pct(s.AverageDrop),7} {Pct(s.IncreaseInConfidence),7} {Pct(s.AverageDropInDeletion),7} {Pct(s.Coherency),7} " +
                $"{Pct(s.Complexity),7} {Pct(s.Adcc),7} {Pct(s.RoadCombined),7} {Pct(s.DeletionAuc),7} {Pct(s.InsertionAuc),7} {s.SecondsPerImage,7:0.000}"));
    }

    /// <summary>Fails before any work when a planned file exists and --force is off.</summary>
    public static void EnsureWritable(SafeOutput output, IEnumerable<string> names, string? reportPath, bool force)
    {
        var blocked = names.Where(output.IsBlocked).Select(output.PathOf).ToList();
        if (reportPath is not null && !force && File.Exists(reportPath)) blocked.Add(Path.GetFullPath(reportPath));
        if (blocked.Count > 0)
            throw new UsageException($"{blocked.Count} output file(s) already exist, e.g. {blocked[0]}; use --force to overwrite (nothing was written)");
    }

    /// <summary>Writes eval.json, eval.csv and eval-images.csv into the output folder.</summary>
    public static void WriteWholeRun(SafeOutput output, EvaluationReport report)
    {
        output.Write(JsonName, Encoding.UTF8.GetBytes(JsonText(report)));
        output.Write(SummaryCsvName, Encoding.UTF8.GetBytes(SummaryCsv(report)));
        output.Write(ImagesCsvName, Encoding.UTF8.GetBytes(ImagesCsv(report)));
    }

    /// <summary>Renders and writes the HTML report to <paramref name="path"/> (atomically, in that file's folder).</summary>
    public static string WriteHtml(string path, EvaluationReport report, IReadOnlyDictionary<(string Image, string Method), byte[]>? overlays, bool force)
    {
        var html = HtmlReport.Render(report, overlays);
        var full = Path.GetFullPath(path);
        var folder = new SafeOutput(Path.GetDirectoryName(full)!, force);
        return folder.Write(Path.GetFileName(full), Encoding.UTF8.GetBytes(html));
    }

    /// <summary>Prints the result: the JSON document with --json, else the table.</summary>
    public static void Print(TextWriter output, EvaluationReport report, bool json)
    {
        if (json) output.Write(JsonText(report));
        else PrintText(output, report);
    }

    private static double? Finite(double? v) => v is double d && double.IsFinite(d) ? d : null;

    private static string Num(double? v) => v is double d && double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Num(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string List(double[]? v) => v is null ? "" : string.Join(";", v.Select(x => Num(x)));

    private static string Pct(double? v) => v is double d && double.IsFinite(d) ? (100 * d).ToString("0.00", CultureInfo.InvariantCulture) : "-";

    private static string Csv(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    private static void Row(StringBuilder sb, params string[] cells) => sb.Append(string.Join(",", cells)).Append('\n');
}
