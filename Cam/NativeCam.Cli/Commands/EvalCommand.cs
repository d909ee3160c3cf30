using System.CommandLine;
using NativeCam.Cli.Infrastructure;

namespace NativeCam.Cli.Commands;

/// <summary>`nativecam eval --images DIR [options]` (docs/cli.md): the faithfulness metrics over a folder of images.</summary>
public static class EvalCommand
{
    /// <summary>Builds the command; its action runs <see cref="EvalRunner"/>.</summary>
    public static Command Create(CliContext context)
    {
        var images = new Option<string>("--images") { Description = "Folder of images (walked recursively, sorted by name)", Required = true };
        var model = CommonOptions.Model();
        var methods = new Option<string>("--methods") { Description = "Method names, comma-separated", DefaultValueFactory = _ => "gradcam,shapleycam" };
        var layer = new Option<string>("--layer") { Description = "Target tensor name(s), comma-separated, or auto", DefaultValueFactory = _ => "auto" };
        var utility = new Option<string>("--utility") { Description = "rest, logit, softmax or log-softmax (scores always use the softmax probability)", DefaultValueFactory = _ => "rest" };
        var limit = new Option<int?>("--limit") { Description = "Evaluate only the first N images (after sorting)" };
        limit.Validators.Add(r =>
        {
            if (CommonOptions.TryValue<int?>(r) is int n && n < 1) r.AddError($"--limit must be ≥ 1; got {n}");
        });
        var metrics = new Option<string>("--metrics") { Description = "Metric families: adcc, road, deletion, insertion; attribution metrics: arcc, faithfulness-correlation, monotonicity, model-randomization, random-logit", DefaultValueFactory = _ => "adcc,road,deletion,insertion" };
        var json = CommonOptions.Json();
        var report = new Option<string?>("--report") { Description = "Also write a self-contained HTML report to this file" };
        var output = new Option<string>("--output") { Description = "Folder for eval.json, eval.csv, eval-images.csv and shard files", DefaultValueFactory = _ => "nativecam-out" };
        var shard = new Option<string?>("--shard") { Description = "K/N: evaluate images with index ≡ K (mod N) and write eval.shard-K-of-N.json (merge with eval-merge)" };
        var steps = new Option<int>("--steps") { Description = "Steps of the deletion and insertion curves", DefaultValueFactory = _ => 32 };
        steps.Validators.Add(r =>
        {
            if (CommonOptions.TryValue<int?>(r) is int n && (n < 1 || n > 50176)) r.AddError($"--steps must be between 1 and 50176; got {n}");
        });
        var reportImages = new Option<int>("--report-images") { Description = "Images shown as overlays in the HTML report", DefaultValueFactory = _ => 24 };
        reportImages.Validators.Add(r =>
        {
            if (CommonOptions.TryValue<int?>(r) is int n && n < 0) r.AddError($"--report-images must be ≥ 0; got {n}");
        });
        var maxBatch = new Option<int?>("--max-batch") { Description = "Most images the metrics send through the model at once (default: from the model's activation size, within a memory budget); results do not depend on it" };
        maxBatch.Validators.Add(r =>
        {
            if (CommonOptions.TryValue<int?>(r) is int n && (n < 1 || n > 4096)) r.AddError($"--max-batch must be between 1 and 4096; got {n}");
        });
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var force = new Option<bool>("--force") { Description = "Overwrite existing outputs" };

        var seed = new Option<int>("--seed") { Description = "Seed of the random methods (each image draws from (seed, its index, call))", DefaultValueFactory = _ => 0 };
        var batchSize = new Option<int?>("--batch-size") { Description = "Images per forward pass and probe (default on the CPU: the metrics' chunk, at most 8; 32 on a GPU)" };
        batchSize.Validators.Add(r =>
        {
            if (CommonOptions.TryValue<int?>(r) is int n && (n < 1 || n > 1024)) r.AddError($"--batch-size must be between 1 and 1024; got {n}");
        });
        var outputName = CommonOptions.OutputName();
        var allowTruncated = CommonOptions.AllowTruncated();
        var command = new Command("eval", "The paper's faithfulness metrics (AD, IC, ADD, coherency, complexity, ADCC, ROAD, deletion/insertion) over a folder")
        {
            images, model, methods, layer, utility, limit, metrics, json, report, output, shard, steps, reportImages, device, threads, force,
            outputName, allowTruncated, seed, batchSize, maxBatch,
        };
        var parameters = new MethodParameterOptions("eval");
        parameters.AddTo(command);
        command.SetAction(parse =>
        {
            var settings = new EvalSettings(parse.GetValue(images)!, parse.GetValue(model),
                ExplainSettings.ParseMethods(parse.GetValue(methods)!).ToList(), ExplainSettings.ParseLayers(parse.GetValue(layer)!),
                ExplainSettings.ParseUtility(parse.GetValue(utility)!), parse.GetValue(limit), EvalSettings.ParseMetrics(parse.GetValue(metrics)!),
                parse.GetValue(json), parse.GetValue(report), parse.GetValue(output)!, EvalSettings.ParseShard(parse.GetValue(shard)),
                parse.GetValue(steps), parse.GetValue(reportImages), parse.GetValue(device)!, parse.GetValue(threads), parse.GetValue(force),
                parse.GetValue(outputName), parse.GetValue(allowTruncated), parameters.Read(parse), parse.GetValue(seed), parse.GetValue(batchSize))
            {
                MaxBatch = parse.GetValue(maxBatch),
            };
            return new EvalRunner(settings, context).Run();
        });
        return command;
    }
}
