using System.CommandLine;
using NativeCam.Cam;
using NativeCam.Cli.Infrastructure;

namespace NativeCam.Cli.Commands;

/// <summary>`nativecam layers [--model PATH] [--json]`: every candidate target tensor, the automatic one marked.</summary>
public static class LayersCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var model = CommonOptions.Model();
        var json = CommonOptions.Json();
        var outputName = CommonOptions.OutputName();
        var command = new Command("layers", "List candidate target layers (tensor name, producing op, shape); marks the auto choice") { model, json, outputName };
        command.SetAction(parse => Run(context, parse.GetValue(model), parse.GetValue(json), parse.GetValue(outputName)));
        return command;
    }

    private static int Run(CliContext context, string? modelPath, bool json, string? outputName)
    {
        var session = ModelSession.Open(modelPath, "cpu", null, context.Error, outputName: outputName, requireClassifier: false);
        string? auto;
        try { auto = LayerSelection.Auto(session.Model); }
        catch (ArgumentException) { auto = null; }
        var layers = LayerSelection.Candidates(session.Model)
            .Select(c => new LayerReport(c.Name, c.Op, c.Shape, c.Name == auto)).ToList();
        if (json)
        {
            Json.Write(context.Out, new LayersReport(session.Name, auto, layers));
            return ExitCodes.Ok;
        }
        int width = Math.Max(4, layers.Count == 0 ? 4 : layers.Max(l => l.Name.Length));
        context.Out.WriteLine($"{"name".PadRight(width)}  {"op",-22}  shape");
        foreach (var l in layers)
            context.Out.WriteLine($"{l.Name.PadRight(width)}  {l.Op,-22}  [{string.Join(", ", l.Shape)}]{(l.Auto ? "  <- auto" : "")}");
        if (auto is null) context.Error.WriteLine("note: no 4-D feature map with spatial size > 1 feeds the output; `--layer auto` will fail");
        return ExitCodes.Ok;
    }
}
