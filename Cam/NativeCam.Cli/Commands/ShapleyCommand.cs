using System.CommandLine;
using NativeCam.Cli.Infrastructure;

namespace NativeCam.Cli.Commands;

/// <summary>
/// `nativecam shapley IMAGE_OR_DIR... [options]`: samples the real Shapley values of the channel game at the target
/// layer and reports how well ShapleyCAM's second-order and GradCAM's first-order values rank the channels.
/// </summary>
public static class ShapleyCommand
{
    /// <summary>Builds the command; its action runs <see cref="ShapleyRunner"/>.</summary>
    public static Command Create(CliContext context)
    {
        var images = CommonOptions.Images();
        var model = CommonOptions.Model();
        var layer = new Option<string>("--layer") { Description = "Target tensor name, or auto", DefaultValueFactory = _ => "auto" };
        var cls = new Option<string>("--class") { Description = "Class index explained, or top1", DefaultValueFactory = _ => "top1" };
        var utility = new Option<string>("--utility") { Description = "rest, logit, softmax or log-softmax", DefaultValueFactory = _ => "rest" };
        var samples = new Option<int>("--samples") { Description = "Permutations sampled (even: each comes with its reverse)", DefaultValueFactory = _ => 64 };
        samples.Validators.Add(r =>
        {
            if (CommonOptions.TryValue<int?>(r) is int s && (s < 2 || s % 2 != 0))
                r.AddError($"--samples must be an even number ≥ 2 (permutations come in antithetic pairs); got {s}");
        });
        var seed = new Option<int>("--seed") { Description = "Seed of the permutation generator", DefaultValueFactory = _ => 0 };
        var batch = new Option<int>("--batch-size") { Description = "Coalitions per head evaluation", DefaultValueFactory = _ => 64 };
        batch.Validators.Add(r =>
        {
            if (CommonOptions.TryValue<int?>(r) is int b && (b < 1 || b > 4096)) r.AddError($"--batch-size must be between 1 and 4096; got {b}");
        });
        var json = CommonOptions.Json();
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var outputName = CommonOptions.OutputName();
        var allowTruncated = CommonOptions.AllowTruncated();
        var command = new Command("shapley",
            "Sample the channel game's Shapley values at the target layer and compare them with ShapleyCAM and GradCAM")
        {
            images, model, layer, cls, utility, samples, seed, batch, json, device, threads, outputName, allowTruncated,
        };
        command.SetAction(parse =>
        {
            var layers = ExplainSettings.ParseLayers(parse.GetValue(layer)!);
            if (layers is { Count: > 1 }) throw new UsageException($"--layer takes one target tensor; got {layers.Count}");
            var settings = new ShapleySettings(parse.GetValue(images) ?? [], parse.GetValue(model), layers?[0],
                ExplainSettings.ParseClass(parse.GetValue(cls)!), ExplainSettings.ParseUtility(parse.GetValue(utility)!),
                parse.GetValue(samples), parse.GetValue(seed), parse.GetValue(batch), parse.GetValue(json),
                parse.GetValue(device)!, parse.GetValue(threads), parse.GetValue(outputName), parse.GetValue(allowTruncated));
            return new ShapleyRunner(settings, context).Run();
        });
        return command;
    }
}
