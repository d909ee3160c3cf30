using System.Diagnostics;
using System.Globalization;
using NativeCam.Cam;
using NativeCam.Cam.Images;
using NativeCam.Cam.Output;
using NativeCam.Cam.Probe;
using NativeCam.Cli.Infrastructure;

namespace NativeCam.Cli.Commands;

/// <summary>Runs `explain`: one image at a time, writing overlays (and optionally raw maps and signals) atomically.</summary>
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
        var layers = settings.Layers ?? [LayerSelection.Auto(session.Model)];
        var explainer = new Explainer(session.Model);
        var reporter = new BatchReporter(context.Error, files.Count);
        var reports = new List<ExplainImageReport>();
        for (int i = 0; i < files.Count; i++)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            reporter.Starting(i, files[i]);
            try
            {
                var report = ExplainOne(files[i], stems[i], session, explainer, layers, output);
                reports.Add(report);
                reporter.Done();
                if (!settings.Json) PrintText(report);
            }
            catch (Exception e) when (e is ImageLoadException or OutputExistsException)
            {
                reporter.Failed(files[i], e.Message);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not OutputFolderException)
            {
                // only the outputs touch the file system here (the image is read by the loader, which wraps its errors)
                throw new OutputFolderException($"--output {settings.Output}: cannot write the results of {files[i]}: {e.Message}", e);
            }
        }
        if (settings.Json)
            Json.Write(context.Out, new ExplainReport(session.Name, session.Device, session.Threads, settings.Utility.Name(), layers,
                settings.Methods, output.Root, reports, reporter.Failures.Select(f => new Failure(f.File, f.Error)).ToList()));
        return reporter.ExitCode;
    }

    private IEnumerable<string> PlannedNames(string stem)
    {
        foreach (var m in settings.Methods)
        {
            yield return $"{stem}.{m}.png";
            if (settings.Raw) yield return $"{stem}.{m}.npy";
            if (Guided) yield return $"{stem}.{m}.guided.png";
        }
        if (!settings.Signals) yield break;
        foreach (var kind in new[] { "activations", "gradients", "hvp", "logits" }) yield return $"{stem}.{kind}.npy";
    }

    private ExplainImageReport ExplainOne(string file, string stem, ModelSession session, Explainer explainer,
        IReadOnlyList<string> layers, SafeOutput output)
    {
        var clock = Stopwatch.StartNew();
        var image = PreparedImage.Load(file, session, settings.AllowTruncated);
        double loadSeconds = clock.Elapsed.TotalSeconds;
        var options = new ExplainOptions
        {
            Methods = settings.Methods,
            Layers = layers,
            Utility = settings.Utility,
            Classes = settings.Class is int c ? [c] : null,
            AugSmooth = settings.AugSmooth,
            EigenSmooth = settings.EigenSmooth,
            Layout = settings.Layout,
            Parameters = settings.Parameters ?? new(),
        };
        var explanation = explainer.Explain(image.Input, options);
        int cls = explanation.Classes[0];
        var probs = explanation.Probabilities[0];
        var methods = new List<MethodReport>();
        for (int m = 0; m < explanation.Methods.Count; m++)
        {
            var maps = explanation.Methods[m];
            var map = maps.Maps[0];
            string name = settings.Methods[m];
            clock.Restart();
            var overlay = CamOverlay.OnOriginal(image.Display, map, explanation.Height, explanation.Width, image.Geometry, settings.ImageWeight);
            var overlayPath = output.Write($"{stem}.{name}.png", ImageWriter.EncodePng(overlay));
            string? rawPath = settings.Raw
                ? output.Write($"{stem}.{name}.npy", NpyWriter.Encode(map, [explanation.Height, explanation.Width]))
                : null;
            methods.Add(new MethodReport(name, overlayPath, rawPath, maps.Seconds, clock.Elapsed.TotalSeconds,
                maps.Extras?.ToDictionary(e => e.Key, e => e.Value[0])));
        }
        if (Guided) WriteGuided(stem, session, image, explanation, cls, output);
        var signals = settings.Signals ? WriteSignals(stem, session, image, explanation, layers[0], cls, output) : null;
        var top5 = PreparedImage.Top(probs, 5).Select(t => new ClassScore(t.Class, session.LabelOf(t.Class), t.Probability)).ToList();
        return new ExplainImageReport(file, image.Width, image.Height, top5, cls, session.LabelOf(cls), probs[cls],
            loadSeconds, explanation.ProbeSeconds, methods, signals);
    }

    private bool Guided => settings.Parameters?.CamFamily.Guided == true;

    /// <summary>&lt;stem&gt;.&lt;method&gt;.guided.png for every method: its map through the guided-backpropagation gradient.</summary>
    private void WriteGuided(string stem, ModelSession session, PreparedImage image, Explanation explanation, int cls, SafeOutput output)
    {
        var gradient = InputGradients.Compute(session.Model, image.Input, settings.Utility, [cls], guided: true).ToArray();
        foreach (var (maps, name) in explanation.Methods.Zip(settings.Methods))
            output.Write($"{stem}.{name}.guided.png",
                ImageWriter.EncodePng(GuidedOverlay.Render(maps.Maps[0], gradient, explanation.Height, explanation.Width)));
    }

    private SignalFiles WriteSignals(string stem, ModelSession session, PreparedImage image, Explanation explanation, string layer,
        int cls, SafeOutput output)
    {
        var s = explanation.Signals.Layers[0];
        if (s.HessianTimesActivations is null)
            s = new LayerProbe(session.Model).Run(image.Input, [layer], settings.Utility, [cls], withHvp: true, layout: settings.Layout).Layers[0];
        string Write(string kind, NativeCam.Engine.Tensor t, int[] shape) =>
            output.Write($"{stem}.{kind}.npy", NpyWriter.Encode(t.ToFloatArray(), shape));
        var chw = s.Activations.Shape[1..];
        var logits = explanation.Signals.Logits;
        return new SignalFiles(s.Layer, Write("activations", s.Activations, chw), Write("gradients", s.Gradients, chw),
            Write("hvp", s.HessianTimesActivations!, chw), Write("logits", logits, [logits.Shape[^1]]));
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
