using System.Text;
using NativeCam.Cam;
using NativeCam.Cam.Evaluation;
using NativeCam.Cam.Images;
using NativeCam.Cam.Output;
using NativeCam.Cam.Probe;
using NativeCam.Cli.Infrastructure;

namespace NativeCam.Cli.Commands;

/// <summary>Runs `eval`: every image (or one shard of them) through <see cref="Evaluator"/>, then the summaries and files.</summary>
public sealed class EvalRunner(EvalSettings settings, CliContext context)
{
    /// <summary>Evaluates; returns the exit code (0, 1 when every image failed, 3 when some did).</summary>
    public int Run()
    {
        if (!Directory.Exists(settings.Images))
            throw new UsageException($"--images {settings.Images}: no such directory");
        var files = InputFiles.Expand([settings.Images]);
        if (settings.Limit is int limit) files = files.Take(limit).ToList();
        var selected = files.Select((f, i) => (File: f, Index: i)).Where(x => settings.Shard is not var (k, n) || x.Index % n == k).ToList();

        var output = OutputFolder.Open(settings.Output, settings.Force);
        string[] planned = settings.Shard is var (sk, sn) ? [EvalOutputs.ShardFileName(sk, sn)] : EvalOutputs.WholeRunFiles;
        EvalOutputs.EnsureWritable(output, planned, settings.Report, settings.Force);

        var session = ModelSession.Open(settings.ModelPath, settings.Device, settings.Threads, context.Error, outputName: settings.OutputName);
        CheckLayers(session);
        var evaluator = new Evaluator(session.Model, new EvaluationOptions
        {
            Methods = settings.Methods,
            Layers = settings.Layers ?? [],
            Utility = settings.Utility,
            Metrics = settings.Metrics,
            CurveSteps = settings.Steps,
            MaxBatch = settings.MaxBatch,
            Parameters = settings.Parameters ?? new(),
            Seed = settings.Seed,
        });

        var rows = new List<ImageResult>();
        var overlays = new Dictionary<(string Image, string Method), byte[]>();
        var progress = new ProgressBar(context.Error, selected.Count, ProgressBar.IsTerminal(context.Error));
        int failed = 0, succeeded = 0, batchSize = settings.BatchSize ?? DefaultBatchSize(session.Model, evaluator.MaxBatch);
        var batch = new List<(EvaluationInput Input, RgbImage Display)>();
        void Flush()
        {
            if (batch.Count == 0) return;
            var results = evaluator.EvaluateBatch(batch.Select(b => b.Input).ToList());
            for (int b = 0; b < batch.Count; b++)
            {
                var result = results[b];
                string name = batch[b].Input.Image;
                rows.AddRange(result.Rows.Select(r => r with { ClassName = session.Labels is { } l && r.ClassIndex < l.Count ? l[r.ClassIndex] : null }));
                if (settings.Report is not null && succeeded < settings.ReportImages)
                    for (int m = 0; m < settings.Methods.Count; m++)
                        overlays[(name, settings.Methods[m])] = OverlayThumbnails.Png(batch[b].Display, result.Maps[m], result.Height, result.Width);
                succeeded++;
            }
            batch.Clear();
        }
        for (int i = 0; i < selected.Count; i++)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            var name = Path.GetRelativePath(settings.Images, selected[i].File).Replace('\\', '/');
            try
            {
                var image = PreparedImage.Load(selected[i].File, session, settings.AllowTruncated);
                float[] input;
                using (image.Input) input = image.Input.ToFloatArray();
                batch.Add((new EvaluationInput(name, input, selected[i].Index), image.Display));
            }
            catch (ImageLoadException e)
            {
                failed++;
                progress.Message($"error: {e.Message}");
            }
            if (batch.Count == batchSize) Flush();
            progress.Report(i + 1, name);
        }
        Flush();
        progress.Finish();

        var report = EvaluationSummaries.Report(session.Name, string.Join(",", evaluator.Layers), settings.Utility.Name(),
            settings.ShardLabel, settings.Methods, rows, settings.Metrics);
        if (settings.Shard is var (wk, wn))
            context.Error.WriteLine($"wrote {OutputFolder.Guard(settings.Output, "cannot write the shard file", () => output.Write(EvalOutputs.ShardFileName(wk, wn), Encoding.UTF8.GetBytes(EvaluationReportJson.Serialize(report))))}");
        else
            OutputFolder.Guard(settings.Output, "cannot write the results", () => { EvalOutputs.WriteWholeRun(output, report); return 0; });
        if (settings.Report is not null)
            context.Error.WriteLine($"wrote {OutputFolder.Guard(Path.GetDirectoryName(Path.GetFullPath(settings.Report))!, "cannot write the HTML report", () => EvalOutputs.WriteHtml(settings.Report, report, overlays, settings.Force), "--report")}");
        EvalOutputs.Print(context.Out, report, settings.Json);
        if (failed > 0) context.Error.WriteLine($"{failed} of {selected.Count} image(s) failed");
        return failed == 0 ? ExitCodes.Ok : succeeded > 0 ? ExitCodes.SomeInputsFailed : ExitCodes.RuntimeError;
    }

    /// <summary>
    /// Images per forward pass and probe: on the CPU no more than the metrics' chunk (the batch's forward pass
    /// allocates like a chunk of that many images; 8 images of MobileNetV2 took 120 MB more peak than 4), on a GPU
    /// <see cref="ExplainRunner.DefaultBatchSize"/>.
    /// </summary>
    public static int DefaultBatchSize(NativeCam.Engine.Graph.Model model, int metricChunk) =>
        model.Backend.Name.StartsWith("cpu", StringComparison.Ordinal)
            ? Math.Min(ExplainRunner.DefaultBatchSize(model), metricChunk) : ExplainRunner.DefaultBatchSize(model);

    private void CheckLayers(ModelSession session)
    {
        if (settings.Layers is null) return;
        var candidates = LayerSelection.Candidates(session.Model).Select(l => l.Name).ToList();
        foreach (var l in settings.Layers)
            if (!candidates.Contains(l))
                throw new UsageException(NearestNames.Unknown("layer", l, candidates) + " (see `nativecam layers`)");
    }
}
