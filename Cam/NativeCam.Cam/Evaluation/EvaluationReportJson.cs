using System.Text.Json;
using System.Text.Json.Serialization;

namespace NativeCam.Cam.Evaluation;

/// <summary>
/// The file format of a (partial) <see cref="EvaluationReport"/>: JSON, camelCase, every per-image row included,
/// doubles written in their shortest round-trip form so a reader gets back the same bits (NaN as "NaN").
/// </summary>
public static class EvaluationReportJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = false,
    };

    /// <summary>The report as JSON text.</summary>
    public static string Serialize(EvaluationReport report) => JsonSerializer.Serialize(report, Options);

    /// <summary>Reads a report written by <see cref="Serialize"/>.</summary>
    /// <param name="json">The text.</param>
    /// <param name="source">The file name used in error messages.</param>
    /// <exception cref="InvalidDataException">Not JSON, or not an evaluation report (the message names the source).</exception>
    public static EvaluationReport Deserialize(string json, string source)
    {
        EvaluationReport? report;
        try
        {
            report = JsonSerializer.Deserialize<EvaluationReport>(json, Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not an evaluation result file ({e.Message})", e);
        }
        if (report is null || report.Model is null || report.Layer is null || report.Utility is null ||
            report.Results is null || report.PerImage is null)
            throw new InvalidDataException($"{source}: not an evaluation result file (model, layer, utility, results or perImage missing)");
        foreach (var (row, i) in report.PerImage.Select((r, i) => (r, i)))
            if (row is null || row.Image is null || row.Method is null)
                throw new InvalidDataException($"{source}: per-image row {i} has no image or method");
        foreach (var (s, i) in report.Results.Select((s, i) => (s, i)))
            if (s is null || s.Method is null)
                throw new InvalidDataException($"{source}: result {i} has no method");
        return report;
    }
}
