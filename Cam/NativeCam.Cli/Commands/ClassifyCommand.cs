using System.CommandLine;
using System.Globalization;
using NativeCam.Cam;
using NativeCam.Cam.Images;
using NativeCam.Cli.Infrastructure;

namespace NativeCam.Cli.Commands;

/// <summary>`nativecam classify IMAGE_OR_DIR... [--model PATH] [--top K] [--json]`.</summary>
public static class ClassifyCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var images = CommonOptions.Images();
        var model = CommonOptions.Model();
        var top = new Option<int>("--top") { Description = "Number of classes listed", DefaultValueFactory = _ => 5 };
        top.Validators.Add(r =>
        {
            if (CommonOptions.TryValue<int?>(r) is int k && k < 1) r.AddError($"--top must be ≥ 1; got {k}");
        });
        var json = CommonOptions.Json();
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var outputName = CommonOptions.OutputName();
        var allowTruncated = CommonOptions.AllowTruncated();
        var command = new Command("classify", "Top-K classes with probabilities") { images, model, top, json, device, threads, outputName, allowTruncated };
        command.SetAction(parse => Run(context, parse.GetValue(images) ?? [], parse.GetValue(model), parse.GetValue(top),
            parse.GetValue(json), parse.GetValue(device)!, parse.GetValue(threads), parse.GetValue(outputName), parse.GetValue(allowTruncated)));
        return command;
    }

    private static int Run(CliContext context, string[] inputs, string? modelPath, int top, bool json, string device, int? threads,
        string? outputName, bool allowTruncated)
    {
        var files = InputFiles.Expand(inputs);
        var session = ModelSession.Open(modelPath, device, threads, context.Error, outputName: outputName);
        var reporter = new BatchReporter(context.Error, files.Count);
        var reports = new List<ClassifyImageReport>();
        foreach (var (file, i) in files.Select((f, i) => (f, i)))
        {
            context.Cancellation.ThrowIfCancellationRequested();
            reporter.Starting(i, file);
            try
            {
                var image = PreparedImage.Load(file, session, allowTruncated);
                var probs = ClassifierOutput.ToLogits(session.Model.Run(image.Input)).Softmax(1).ToFloatArray();
                var best = PreparedImage.Top(probs, Math.Min(top, probs.Length))
                    .Select(t => new ClassScore(t.Class, session.LabelOf(t.Class), t.Probability)).ToList();
                var report = new ClassifyImageReport(file, image.Width, image.Height, best);
                reports.Add(report);
                reporter.Done();
                if (!json)
                {
                    context.Out.WriteLine(file);
                    foreach (var s in best)
                        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {s.Class,4}  {s.Probability:0.0000}  {s.Name}"));
                }
            }
            catch (ImageLoadException e)
            {
                reporter.Failed(file, e.Message);
            }
        }
        if (json) Json.Write(context.Out, new ClassifyReport(session.Name, reports, reporter.Failures.Select(f => new Failure(f.File, f.Error)).ToList()));
        return reporter.ExitCode;
    }
}
