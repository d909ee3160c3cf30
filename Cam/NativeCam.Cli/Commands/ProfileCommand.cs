using System.CommandLine;
using System.Globalization;
using NativeCam.Cam;
using NativeCam.Cam.Diagnostics;
using NativeCam.Cli.Infrastructure;

namespace NativeCam.Cli.Commands;

/// <summary>The JSON of `profile --json`.</summary>
public sealed record ProfileReport(string Model, int[] InputShape, int Threads, double PeakGflops, string Layer, PassProfile Forward, PassProfile HeadSweep);

/// <summary>
/// `nativecam profile [--model PATH] [--threads N] [--batch N] [--layer NAME|auto] [--runs N] [--warmup N] [--top N]
/// [--trace FILE] [--force] [--json]`: per graph node of the forward pass and of ShapleyCAM's head sweep the op,
/// shapes, mean time, share, GFLOP/s and % of the FMA peak measured in the same run, and bytes moved
/// (<see cref="ModelProfiler"/>); on the CPU backend.
/// </summary>
public static class ProfileCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var model = CommonOptions.Model();
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var batch = Bounded("--batch", "Images per run", 1, 1, 4096);
        var runs = Bounded("--runs", "Timed runs of each pass (times are means)", 10, 1, 100_000);
        var warmup = Bounded("--warmup", "Untimed runs first (the JIT recompiles a method at full optimisation after 30 calls)", 30, 0, 1000);
        var top = Bounded("--top", "Print only the N slowest nodes of each pass (0: all)", 0, 0, 1_000_000);
        var layer = new Option<string>("--layer") { Description = "Target tensor of the head sweep, or auto", DefaultValueFactory = _ => "auto" };
        var trace = new Option<string?>("--trace") { Description = "Also write the last timed forward pass and head sweep as Chrome trace-event JSON (Perfetto, chrome://tracing)" };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing --trace file" };
        var command = new Command("profile",
            "Per-node profile on the CPU backend of the forward pass and of ShapleyCAM's head sweep (forward-over-reverse from the " +
            "target layer): op, shapes, mean time after warm-up, share of the total, GFLOP/s and % of the FMA peak measured in " +
            "the same run, bytes moved (inputs + weights + outputs); slowest first, with a total line")
        {
            model, threads, batch, layer, runs, warmup, top, trace, force, json,
        };
        command.SetAction(parse => Run(context, parse.GetValue(model), parse.GetValue(threads), parse.GetValue(batch), parse.GetValue(layer)!,
            parse.GetValue(runs), parse.GetValue(warmup), parse.GetValue(top), parse.GetValue(trace), parse.GetValue(force), parse.GetValue(json)));
        return command;
    }

    private static Option<int> Bounded(string name, string description, int fallback, int min, int max)
    {
        var o = new Option<int>(name) { Description = description, DefaultValueFactory = _ => fallback };
        o.Validators.Add(r =>
        {
            if (CommonOptions.TryValue<int?>(r) is int n && (n < min || n > max)) r.AddError($"{name} must be between {min} and {max}; got {n}");
        });
        return o;
    }

    private static int Run(CliContext context, string? modelPath, int? threads, int batch, string layerOption, int runs, int warmup, int top,
        string? tracePath, bool force, bool json)
    {
        if (tracePath is not null && File.Exists(tracePath) && !force)
            throw new UsageException($"--trace {tracePath}: the file exists (use --force to overwrite)");
        var session = ModelSession.Open(modelPath, "cpu", threads, context.Error);
        var model = session.Model;
        model = model.ForBatch(batch);
        string layer = ResolveLayer(model, layerOption);
        var profile = ModelProfiler.Run(model, new ProfileOptions(runs, warmup, layer), progress: m => context.Error.WriteLine($"{m}…"),
            cancellation: context.Cancellation);
        if (tracePath is not null)
        {
            using var stream = File.Create(tracePath);
            ChromeTrace.Write(stream, profile, $"nativecam profile {Path.GetFileName(session.Name)}");
            context.Error.WriteLine($"wrote {tracePath}");
        }
        if (json)
        {
            Json.Write(context.Out, new ProfileReport(session.Name, profile.InputShape, profile.Threads, profile.PeakGflops, profile.Layer,
                profile.Forward, profile.HeadSweep));
            return ExitCodes.Ok;
        }
        var o = context.Out;
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine($"model    {session.Name}");
        o.WriteLine($"input    [{string.Join(", ", profile.InputShape)}]");
        o.WriteLine(string.Create(inv, $"threads  {profile.Threads} (CPU backend); FMA peak measured now: {profile.PeakGflops:F1} GFLOP/s"));
        PrintPass(o, profile.Forward, "forward pass", top);
        PrintPass(o, profile.HeadSweep, $"ShapleyCAM head sweep at {profile.Layer} (g and H·A)", top);
        return ExitCodes.Ok;
    }

    private static string ResolveLayer(Engine.Graph.Model model, string value)
    {
        value = value.Trim();
        if (value.Equals("auto", StringComparison.OrdinalIgnoreCase)) return LayerSelection.Auto(model);
        var candidates = LayerSelection.Candidates(model).Select(l => l.Name).ToList();
        if (!candidates.Contains(value)) throw new UsageException(NearestNames.Unknown("layer", value, candidates) + " (see `nativecam layers`)");
        return value;
    }

    private static void PrintPass(TextWriter o, PassProfile p, string title, int top)
    {
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine();
        o.WriteLine(string.Create(inv, $"{title}: {p.TotalMs:F3} ms, mean of {p.Runs} runs"));
        o.WriteLine($"  ({p.Note})");
        o.WriteLine($"{"ms",9} {"share",6} {"GFLOP/s",8} {"%peak",6} {"MB moved",9}  {"op",-24} {"output shape",-20} node");
        var shown = top > 0 ? p.Nodes.Take(top) : p.Nodes;
        foreach (var n in shown)
            o.WriteLine(string.Create(inv,
                $"{n.MeanMs,9:F3} {100 * n.Share,5:F1}% {(n.Flops > 0 ? n.Gflops.ToString("F1", inv) : "-"),8} {(n.Flops > 0 ? n.PercentOfPeak.ToString("F1", inv) : "-"),6} " +
                $"{n.BytesMoved / 1e6,9:F2}  {n.Op,-24} {string.Join(" ", n.OutputShapes.Select(s => $"[{string.Join("x", s)}]")),-20} {n.Name}"));
        if (top > 0 && p.Nodes.Count > top)
        {
            var rest = p.Nodes.Skip(top).ToList();
            o.WriteLine(string.Create(inv, $"{rest.Sum(n => n.MeanMs),9:F3} {100 * rest.Sum(n => n.Share),5:F1}% {"",8} {"",6} {rest.Sum(n => n.BytesMoved) / 1e6,9:F2}  ({rest.Count} more nodes)"));
        }
        o.WriteLine(string.Create(inv, $"{p.UnattributedMs,9:F3} {100 * p.UnattributedMs / p.TotalMs,5:F1}% {"",8} {"",6} {"",9}  ({p.UnattributedLabel})"));
        double flops = p.Nodes.Sum(n => n.Flops);
        double gflops = flops / (p.TotalMs * 1e-3) / 1e9;
        o.WriteLine(string.Create(inv,
            $"{p.TotalMs,9:F3} {100.0,5:F1}% {gflops,8:F1} {"",6} {p.Nodes.Sum(n => n.BytesMoved) / 1e6,9:F2}  total: {p.Nodes.Count} nodes, {flops / 1e9:F3} GFLOP"));
    }
}
