using System.CommandLine;
using System.CommandLine.Parsing;

namespace NativeCam.Cli.Infrastructure;

/// <summary>Options shared by several commands.</summary>
public static class CommonOptions
{
    /// <summary>--model PATH.</summary>
    public static Option<string?> Model() => new("--model") { Description = "An ONNX classifier (default: the embedded MobileNetV2)" };

    /// <summary>--output-name NAME.</summary>
    public static Option<string?> OutputName() =>
        new("--output-name") { Description = "The graph output explained, a classifier's logits [N, K] (default: the model's first output)" };

    /// <summary>--allow-truncated.</summary>
    public static Option<bool> AllowTruncated() =>
        new("--allow-truncated") { Description = "Decode truncated PNG/JPEG/BMP files as far as their data goes (default: refuse them, as Pillow does)" };

    /// <summary>--json.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print a JSON document on stdout" };

    /// <summary>--device cpu|gpu|ilgpu-cpu|auto.</summary>
    public static Option<string> Device()
    {
        var o = new Option<string>("--device")
        {
            Description = "Kernel backend: cpu, gpu (CUDA), ilgpu-cpu (the GPU kernels on ILGPU's CPU accelerator: slow, for checking) or auto (CUDA if present, else cpu)",
            DefaultValueFactory = _ => "cpu",
        };
        o.AcceptOnlyFromAmong(DeviceSelection.Names);
        return o;
    }

    /// <summary>--threads N (N ≥ 1).</summary>
    public static Option<int?> Threads()
    {
        var o = new Option<int?>("--threads") { Description = "CPU threads (default: all cores)" };
        o.Validators.Add(r =>
        {
            if (TryValue<int?>(r) is int n && (n < 1 || n > 1024)) r.AddError($"--threads must be between 1 and 1024; got {n}");
        });
        return o;
    }

    /// <summary>IMAGE_OR_DIR... (one or more).</summary>
    public static Argument<string[]> Images() => new("IMAGE_OR_DIR") { Description = "Image files or directories (walked recursively)", Arity = ArgumentArity.OneOrMore };

    /// <summary>The option's value, or default when it does not convert (the parser reports that error itself).</summary>
    public static T? TryValue<T>(OptionResult result)
    {
        try { return result.GetValueOrDefault<T>(); }
        catch (InvalidOperationException) { return default; }
    }
}
