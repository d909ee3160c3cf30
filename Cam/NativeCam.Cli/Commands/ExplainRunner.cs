using System.Diagnostics;
using System.Globalization;
using NativeCam.Cam;
using NativeCam.Cam.Images;
using NativeCam.Cam.Output;
using NativeCam.Cam.Probe;
using NativeCam.Engine;
using NativeCam.Cli.Infrastructure;

namespace NativeCam.Cli.Commands;

/// <summary>
/// Runs `explain`: the images in batches of consecutive files (one forward pass and one probe per batch, through
/// <see cref="Explainer"/> with the parsed <see cref="ExplainOptions"/>), writing overlays (and optionally raw maps
/// and signals) atomically.
/// </summary>
public sealed class ExplainRunner(ExplainSettings settings, CliContext context)
{
    /// <summary>Processes every input; returns the exit code (0, 1 all failed, 3 some failed).</summary>
    public int Run()
    {
        var files = InputFiles.Expand(settings.Inputs);
        var stems = InputFiles.Stems(files);
        var output = OutputFolder.Open(settings.Output, settings.Force);
        var blocked = stems.SelectMany(PlannedNames).Where(output.IsBlocked).ToList();
        if (blocked.Count > 0)
            throw new UsageException($"{blocked.Count} output file(s) already exist, e.g. {output.PathOf(blocked[0])}; " +
                                     "use --force to overwrite (nothing was written)");

        var session = ModelSession.Open(settings.ModelPath, settings.Device, settings.Threads, context.Error, outputName: settings.OutputName);
        settings.Validate(session);
        var layers = settings.Options.Layers.Count > 0 ? settings.Options.Layers : [LayerSelection.Auto(session.Model)];
        var options = settings.Options with { Layers = layers };
        var explainer = new Explainer(session.Model);
        int batchSize = settings.BatchSize ?? DefaultBatchSize(session.Model);
        var reporter = new BatchReporter(context.Error, files.Count);
        var reports = new List<ExplainImageReport>();
        var batch = new List<(int Index, PreparedImage Image, double LoadSeconds)>();

        void Flush()
        {
            if (batch.Count == 0) return;
            try
            {
                foreach (var r in ExplainBatch(batch, stems, session, explainer, options, output))
                {
                    reports.Add(r);
                    reporter.Done();
                    if (!settings.Json) PrintText(r);
                }
            }
            catch (Exception e) when (e is OutputExistsException)
            {
                foreach (var b in batch) reporter.Failed(b.Image.File, e.Message);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not OutputFolderException)
            {
                // only the outputs touch the file system here (the images were read by the loader, which wraps its errors)
                throw new OutputFolderException($"--output {settings.Output}: cannot write the results of {batch[0].Image.File}: {e.Message}", e);
            }
            finally
            {
                foreach (var b in batch) b.Image.Input.Dispose();
                batch.Clear();
            }
        }

        for (int start = 0; start < files.Count; start += batchSize)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            // the next batchSize images are decoded in parallel, then taken in order
            var loaded = LoadWindow(files, start, Math.Min(batchSize, files.Count - start), session);
            for (int j = 0; j < loaded.Length; j++)
            {
                int i = start + j;
                reporter.Starting(i, files[i]);
                var (image, error, seconds) = loaded[j];
                if (error is ImageLoadException e)
                {
                    reporter.Failed(files[i], e.Message);
                    Flush(); // a batch holds consecutive images only, so each image keeps its index (the random methods' seeds)
                    continue;
                }
                if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
                batch.Add((i, image!, seconds));
                if (batch.Count == batchSize) Flush();
            }
        }
        Flush();
        if (settings.Json)
            Json.Write(context.Out, new ExplainReport(session.Name, session.Device, session.Threads, options.Utility.Name(), layers,
                options.Methods, output.Root, reports, reporter.Failures.Select(f => new Failure(f.File, f.Error)).ToList()));
        return reporter.ExitCode;
    }

    /// <summary>Files [start, start + count) loaded on up to --threads threads: each image, or the exception its loading
    /// threw (rethrown by the caller in file order, so errors surface as they would one file at a time).</summary>
    private (PreparedImage? Image, Exception? Error, double Seconds)[] LoadWindow(IReadOnlyList<string> files, int start, int count, ModelSession session)
    {
        var loaded = new (PreparedImage?, Exception?, double)[count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, session.Threads), CancellationToken = context.Cancellation };
        Parallel.For(0, count, parallel, j =>
        {
            var clock = Stopwatch.StartNew();
            try { loaded[j] = (PreparedImage.Load(files[start + j], session, settings.AllowTruncated), null, clock.Elapsed.TotalSeconds); }
            catch (Exception e) { loaded[j] = (null, e, clock.Elapsed.TotalSeconds); }
        });
        return loaded;
    }

    /// <summary>8 images per batch on the CPU, 32 on a GPU.</summary>
    public static int DefaultBatchSize(NativeCam.Engine.Graph.Model model) =>
        model.Backend.Name.StartsWith("cpu", StringComparison.Ordinal) ? 8 : 32;

    private IEnumerable<string> PlannedNames(string stem)
    {
        foreach (var m in settings.Options.Methods)
        {
            yield return $"{stem}.{m}.png";
            if (settings.Raw) yield return $"{stem}.{m}.npy";
            if (Guided) yield return $"{stem}.{m}.guided.png";
        }
        if (!settings.Signals) yield break;
        foreach (var kind in new[] { "activations", "gradients", "hvp", "logits" }) yield return $"{stem}.{kind}.npy";
    }

    private List<ExplainImageReport> ExplainBatch(List<(int Index, PreparedImage Image, double LoadSeconds)> batch, IReadOnlyList<string> stems,
        ModelSession session, Explainer explainer, ExplainOptions options, SafeOutput output)
    {
        Explanation explanation;
        if (batch.Count == 1) explanation = explainer.Explain(batch[0].Image.Input, options with { ImageIndex = batch[0].Index });
        else
        {
            using var input = Tensor.Concat(batch.Select(b => b.Image.Input).ToArray(), 0);
            explanation = explainer.Explain(input, options with { ImageIndex = batch[0].Index });
        }
        // the overlays of the batch are drawn and encoded in parallel (independent images), then written in order
        int methodCount = explanation.Methods.Count;
        var pngs = new byte[batch.Count * methodCount][];
        var encodeSeconds = new double[pngs.Length];
        Parallel.For(0, pngs.Length, j =>
        {
            var clock = Stopwatch.StartNew();
            var (_, image, _) = batch[j / methodCount];
            var overlay = CamOverlay.OnOriginal(image.Display, explanation.Methods[j % methodCount].Maps[j / methodCount],
                explanation.Height, explanation.Width, image.Geometry, settings.ImageWeight);
            pngs[j] = ImageWriter.EncodePng(overlay);
            encodeSeconds[j] = clock.Elapsed.TotalSeconds;
        });
        var reports = new List<ExplainImageReport>(batch.Count);
        for (int i = 0; i < batch.Count; i++)
        {
            var (index, image, loadSeconds) = batch[i];
            string stem = stems[index];
            int cls = explanation.Classes[i];
            var probs = explanation.Probabilities[i];
            var methods = new List<MethodReport>();
            var clock = new Stopwatch();
            for (int m = 0; m < methodCount; m++)
            {
                var maps = explanation.Methods[m];
                var map = maps.Maps[i];
                string name = options.Methods[m];
                clock.Restart();
                var overlayPath = output.Write($"{stem}.{name}.png", pngs[i * methodCount + m]);
                string? rawPath = settings.Raw
                    ? output.Write($"{stem}.{name}.npy", NpyWriter.Encode(map, [explanation.Height, explanation.Width]))
                    : null;
                // a batch's method time is shared evenly by its images
                methods.Add(new MethodReport(name, overlayPath, rawPath, maps.Seconds / batch.Count,
                    encodeSeconds[i * methodCount + m] + clock.Elapsed.TotalSeconds, maps.Extras?.ToDictionary(e => e.Key, e => e.Value[i])));
            }
            if (Guided) WriteGuided(stem, session, image, explanation, i, cls, output);
            var signals = settings.Signals ? WriteSignals(stem, explanation, i, output) : null;
            var top5 = PreparedImage.Top(probs, 5).Select(t => new ClassScore(t.Class, session.LabelOf(t.Class), t.Probability)).ToList();
            reports.Add(new ExplainImageReport(image.File, image.Width, image.Height, top5, cls, session.LabelOf(cls), probs[cls],
                loadSeconds, explanation.ProbeSeconds / batch.Count, methods, signals));
        }
        return reports;
    }

    private bool Guided => settings.Options.Parameters.CamFamily.Guided;

    /// <summary>&lt;stem&gt;.&lt;method&gt;.guided.png for every method: image <paramref name="i"/>'s map through the
    /// guided-backpropagation gradient.</summary>
    private void WriteGuided(string stem, ModelSession session, PreparedImage image, Explanation explanation, int i, int cls, SafeOutput output)
    {
        var gradient = InputGradients.Compute(session.Model, image.Input, settings.Options.Utility, [cls], guided: true).ToArray();
        foreach (var (maps, name) in explanation.Methods.Zip(settings.Options.Methods))
            output.Write($"{stem}.{name}.guided.png",
                ImageWriter.EncodePng(GuidedOverlay.Render(maps.Maps[i], gradient, explanation.Height, explanation.Width)));
    }

    /// <summary>The signals of image <paramref name="i"/> at the first target layer, from the request's one probe.</summary>
    private static SignalFiles WriteSignals(string stem, Explanation explanation, int i, SafeOutput output)
    {
        var s = explanation.Signals.Layers[0];
        string Write(string kind, Tensor t)
        {
            var one = t.Slice([i], [i + 1], [0]);
            return output.Write($"{stem}.{kind}.npy", NpyWriter.Encode(one.ToFloatArray(), t.Shape[1..]));
        }
        var hvp = s.HessianTimesActivations ?? throw new InvalidOperationException("the probe ran without H·A although the signals were asked for");
        return new SignalFiles(s.Layer, Write("activations", s.Activations), Write("gradients", s.Gradients), Write("hvp", hvp),
            Write("logits", explanation.Signals.Logits));
    }

    private void PrintText(ExplainImageReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        context.Out.WriteLine(string.Create(inv, $"{r.File}: class {r.Class} {r.ClassName} (p = {r.ClassProbability:0.0000})"));
        foreach (var m in r.Methods)
            context.Out.WriteLine(string.Create(inv, $"  {m.Method}: {m.Overlay}{(m.Raw is null ? "" : ", " + m.Raw)} ({m.Seconds * 1000:0} ms)"));
        if (r.Signals is { } s) context.Out.WriteLine($"  signals at {s.Layer}: {s.Activations}, {s.Gradients}, {s.Hvp}, {s.Logits}");
    }
}
