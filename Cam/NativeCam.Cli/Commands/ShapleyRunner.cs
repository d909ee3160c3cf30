using System.Diagnostics;
using System.Globalization;
using NativeCam.Cam;
using NativeCam.Cam.Images;
using NativeCam.Cam.Probe;
using NativeCam.Cam.Shapley;
using NativeCam.Cli.Infrastructure;

namespace NativeCam.Cli.Commands;

/// <summary>Runs `shapley`: one image at a time through one probe (the batched head is imported once).</summary>
public sealed class ShapleyRunner(ShapleySettings settings, CliContext context)
{
    /// <summary>Processes every input; returns the exit code (0, 1 all failed, 3 some failed).</summary>
    public int Run()
    {
        var files = InputFiles.Expand(settings.Inputs);
        var session = ModelSession.Open(settings.ModelPath, settings.Device, settings.Threads, context.Error, outputName: settings.OutputName);
        settings.Validate(session);
        string layer = settings.Layer ?? LayerSelection.Auto(session.Model);
        var options = new ShapleyOptions { Samples = settings.Samples, Seed = settings.Seed, BatchSize = settings.BatchSize };
        var probe = new LayerProbe(session.Model);
        var reporter = new BatchReporter(context.Error, files.Count);
        var reports = new List<ShapleyImageReport>();
        for (int i = 0; i < files.Count; i++)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            reporter.Starting(i, files[i]);
            try
            {
                var report = One(files[i], session, probe, layer, options);
                reports.Add(report);
                reporter.Done();
                if (!settings.Json) PrintText(report);
            }
            catch (ImageLoadException e)
            {
                reporter.Failed(files[i], e.Message);
            }
        }
        if (settings.Json)
            Json.Write(context.Out, new ShapleyReport(session.Name, session.Device, session.Threads, layer, settings.Utility.Name(),
                settings.Samples, settings.Seed, settings.BatchSize, reports, reporter.Failures.Select(f => new Failure(f.File, f.Error)).ToList()));
        return reporter.ExitCode;
    }

    private ShapleyImageReport One(string file, ModelSession session, LayerProbe probe, string layer, ShapleyOptions options)
    {
        var clock = Stopwatch.StartNew();
        var image = PreparedImage.Load(file, session, settings.AllowTruncated);
        int quarter = 0;
        void Progress(long done, long total)
        {
            int q = (int)(4 * done / Math.Max(1, total));
            if (q <= quarter || q >= 4) return;
            quarter = q;
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {25 * q}% of {total} coalitions ({clock.Elapsed.TotalSeconds:0.0} s)"));
        }
        var r = ChannelShapley.Run(probe, image.Input, layer, settings.Utility, settings.Class, options,
            progress: Progress, cancellation: context.Cancellation);
        var e = r.Estimate;
        return new ShapleyImageReport(file, r.Class, session.LabelOf(r.Class), e.Samples, options.Seed, r.Layer, r.Utility.Name(),
            e.FullValue, e.EmptyValue, e.FullMinusEmpty, e.Sum, e.EfficiencyResidual, Finite(e.MeanStdError), Finite(r.RelativeStdError),
            e.Values, e.StdErrors.Select(Finite).ToList(), r.ShapleyCamContributions, r.GradCamContributions,
            Finite(r.SpearmanShapleyCam), Finite(r.SpearmanGradCam), Finite(r.PearsonShapleyCam), Finite(r.PearsonGradCam),
            r.TopK, r.TopKOverlapShapleyCam, r.TopKOverlapGradCam, clock.Elapsed.TotalSeconds);
    }

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;

    private void PrintText(ShapleyImageReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        string F(double? v, string format) => v is double d ? d.ToString(format, inv) : "n/a";
        var o = context.Out;
        o.WriteLine($"{r.Image}: class {r.Class} {r.ClassName}; layer {r.Layer}, {r.Utility}, {r.Samples} permutations (seed {r.Seed})");
        o.WriteLine(string.Create(inv, $"  v(N) − v(∅) = {r.FullMinusEmpty:0.######} (v(N) = {r.FullValue:0.######}, v(∅) = {r.EmptyValue:0.######}); Σφ = {r.SumOfValues:0.######}"));
        o.WriteLine($"  mean std error {F(r.MeanStdError, "0.######")} ({F(r.RelativeStdError, "0.####")} of the values' spread)");
        o.WriteLine($"  Spearman: ShapleyCAM {F(r.SpearmanShapleycam, "0.0000")}, GradCAM {F(r.SpearmanGradcam, "0.0000")}; " +
                    $"Pearson: ShapleyCAM {F(r.PearsonShapleycam, "0.0000")}, GradCAM {F(r.PearsonGradcam, "0.0000")}; " +
                    string.Create(inv, $"top-{r.TopK} overlap: ShapleyCAM {r.TopKOverlapShapleycam:0.00}, GradCAM {r.TopKOverlapGradcam:0.00}"));
        o.WriteLine(string.Create(inv, $"  {r.Seconds:0.00} s"));
    }
}
