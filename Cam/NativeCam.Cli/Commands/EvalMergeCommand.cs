using System.CommandLine;
using NativeCam.Cam.Evaluation;
using NativeCam.Cam.Output;
using NativeCam.Cli.Infrastructure;

namespace NativeCam.Cli.Commands;

/// <summary>
/// `nativecam eval-merge PARTIAL.json... [--json] [--output DIR] [--report FILE.html]`: combines the shard files of
/// `eval --shard K/N`, recomputing every figure from the per-image rows (equal to an unsharded run).
/// </summary>
public static class EvalMergeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var parts = new Argument<string[]>("PARTIAL.json") { Description = "Shard files written by eval --shard", Arity = ArgumentArity.OneOrMore };
        var json = CommonOptions.Json();
        var output = new Option<string>("--output") { Description = "Folder for eval.json, eval.csv and eval-images.csv", DefaultValueFactory = _ => "nativecam-out" };
        var report = new Option<string?>("--report") { Description = "Also write a self-contained HTML report (without overlays) to this file" };
        var force = new Option<bool>("--force") { Description = "Overwrite existing outputs" };
        var command = new Command("eval-merge", "Merge the shard files of `eval --shard K/N` into the whole evaluation") { parts, json, output, report, force };
        command.SetAction(parse => Run(context, parse.GetValue(parts) ?? [], parse.GetValue(json), parse.GetValue(output)!,
            parse.GetValue(report), parse.GetValue(force)));
        return command;
    }

    private static int Run(CliContext context, string[] files, bool json, string outputDir, string? reportPath, bool force)
    {
        foreach (var f in files)
            if (!File.Exists(f)) throw new UsageException($"{f}: no such file");
        if (files.Select(Path.GetFullPath).Distinct().Count() != files.Length)
            throw new UsageException("the same shard file is given twice");
        var loaded = files.Select(f => (f, Read(f))).ToList();
        MergedEvaluation merged;
        try { merged = EvaluationMerge.Merge(loaded); }
        catch (InvalidDataException e) { throw new UsageException(e.Message); }
        foreach (var w in merged.Warnings) context.Error.WriteLine($"warning: {w}");

        var output = OutputFolder.Open(outputDir, force);
        EvalOutputs.EnsureWritable(output, EvalOutputs.WholeRunFiles, reportPath, force);
        OutputFolder.Guard(outputDir, "cannot write the results", () => { EvalOutputs.WriteWholeRun(output, merged.Report); return 0; });
        if (reportPath is not null)
            context.Error.WriteLine($"wrote {OutputFolder.Guard(Path.GetDirectoryName(Path.GetFullPath(reportPath))!, "cannot write the HTML report", () => EvalOutputs.WriteHtml(reportPath, merged.Report, null, force), "--report")}");
        EvalOutputs.Print(context.Out, merged.Report, json);
        return ExitCodes.Ok;
    }

    private static EvaluationReport Read(string file)
    {
        try { return EvaluationReportJson.Deserialize(File.ReadAllText(file), file); }
        catch (InvalidDataException e) { throw new UsageException(e.Message); }
    }
}
