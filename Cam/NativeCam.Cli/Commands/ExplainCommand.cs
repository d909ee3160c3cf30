using System.CommandLine;
using NativeCam.Cam;
using NativeCam.Cli.Infrastructure;

namespace NativeCam.Cli.Commands;

/// <summary>`nativecam explain IMAGE_OR_DIR... [options]` (docs/cli.md).</summary>
public static class ExplainCommand
{
    /// <summary>Builds the command; its action runs <see cref="ExplainRunner"/>.</summary>
    public static Command Create(CliContext context)
    {
        var images = CommonOptions.Images();
        var model = CommonOptions.Model();
        var method = new Option<string>("--method") { Description = "Method name(s), comma-separated", DefaultValueFactory = _ => "shapleycam" };
        var layer = new Option<string>("--layer") { Description = "Target tensor name(s), comma-separated, or auto", DefaultValueFactory = _ => "auto" };
        var cls = new Option<string>("--class") { Description = "Class index explained, or top1", DefaultValueFactory = _ => "top1" };
        var utility = new Option<string>("--utility") { Description = "rest, logit, softmax or log-softmax", DefaultValueFactory = _ => "rest" };
        var output = new Option<string>("--output") { Description = "Output folder (every file lands inside it)", DefaultValueFactory = _ => "nativecam-out" };
        var raw = new Option<bool>("--raw") { Description = "Also write DIR/<stem>.<method>.npy (float32 [H, W] in [0, 1])" };
        var signals = new Option<bool>("--signals") { Description = "Also write activations, gradients, H·A [C, h, w] and logits [K] as .npy" };
        var json = CommonOptions.Json();
        var augSmooth = new Option<bool>("--aug-smooth") { Description = "The reference's test-time augmentation smoothing" };
        var eigenSmooth = new Option<bool>("--eigen-smooth") { Description = "The reference's first-principal-component smoothing" };
        var weight = new Option<double>("--image-weight") { Description = "Overlay blend weight of the photo (0..1)", DefaultValueFactory = _ => 0.5 };
        weight.Validators.Add(r =>
        {
            double w = CommonOptions.TryValue<double?>(r) ?? 0.5;
            if (!(w >= 0 && w <= 1)) r.AddError($"--image-weight must be in [0, 1]; got {w}");
        });
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var force = new Option<bool>("--force") { Description = "Overwrite existing outputs" };
        var layout = new Option<string>("--layout")
        {
            Description = "Layout of the target tensor: nchw, nhwc (Swin), tokens (ViT: [N, T, C], class token skipped) or auto",
            DefaultValueFactory = _ => "auto",
        };

        var seed = new Option<int>("--seed") { Description = "Seed of the random methods (each image draws from (seed, its index, call))", DefaultValueFactory = _ => 0 };
        var batchSize = new Option<int?>("--batch-size") { Description = "Images per forward pass and probe (default 8 on the CPU, 32 on a GPU)" };
        batchSize.Validators.Add(r =>
        {
            if (CommonOptions.TryValue<int?>(r) is int n && (n < 1 || n > 1024)) r.AddError($"--batch-size must be between 1 and 1024; got {n}");
        });
        var outputName = CommonOptions.OutputName();
        var allowTruncated = CommonOptions.AllowTruncated();
        var command = new Command("explain", "Explain the classifier's decision on each image: a JET overlay per method")
        {
            images, model, method, layer, cls, utility, output, raw, signals, json, augSmooth, eigenSmooth, weight, device, threads, force, layout,
            outputName, allowTruncated, seed, batchSize,
        };
        var parameters = new MethodParameterOptions("explain");
        parameters.AddTo(command);
        command.SetAction(parse =>
        {
            var settings = new ExplainSettings
            {
                Inputs = parse.GetValue(images) ?? [],
                ModelPath = parse.GetValue(model),
                Options = new ExplainOptions
                {
                    Methods = ExplainSettings.ParseMethods(parse.GetValue(method)!),
                    Layers = ExplainSettings.ParseLayers(parse.GetValue(layer)!) ?? [],
                    Classes = ExplainSettings.ParseClass(parse.GetValue(cls)!) is int c ? [c] : null,
                    Utility = ExplainSettings.ParseUtility(parse.GetValue(utility)!),
                    AugSmooth = parse.GetValue(augSmooth),
                    EigenSmooth = parse.GetValue(eigenSmooth),
                    Layout = ExplainSettings.ParseLayout(parse.GetValue(layout)!),
                    Seed = parse.GetValue(seed),
                    WithHvp = parse.GetValue(signals),
                    Parameters = parameters.Read(parse),
                },
                Output = parse.GetValue(output)!,
                Raw = parse.GetValue(raw),
                Signals = parse.GetValue(signals),
                Json = parse.GetValue(json),
                ImageWeight = parse.GetValue(weight),
                Device = parse.GetValue(device)!,
                Threads = parse.GetValue(threads),
                Force = parse.GetValue(force),
                OutputName = parse.GetValue(outputName),
                AllowTruncated = parse.GetValue(allowTruncated),
                BatchSize = parse.GetValue(batchSize),
            };
            return new ExplainRunner(settings, context).Run();
        });
        return command;
    }
}
