using System.CommandLine;
using NativeCam.Cam.Methods;
using NativeCam.Cli.Infrastructure;

namespace NativeCam.Cli.Commands;

/// <summary>The CAM-family methods' options, shared by explain and eval (--guided: explain only).</summary>
/// <param name="command">The command they belong to ("explain" or "eval").</param>
public sealed class CamFamilyOptions(string command)
{
    private readonly Option<double> _alpha = Finite(new Option<double>("--alpha")
    {
        Description = "finercam: weight of the similar classes' scores subtracted from the target's (≥ 0; 0 gives the base method on the logit)",
        DefaultValueFactory = _ => 1,
    }, "--alpha", 1, min: 0);

    private readonly Option<int> _compare = AtLeastOne(new Option<int>("--compare")
    {
        Description = "finercam: how many classes with the logits closest to the target's are compared with it",
        DefaultValueFactory = _ => 3,
    });

    private readonly Option<string?> _baseMethod = BaseMethod(new Option<string?>("--base-method")
    {
        Description = $"finercam / refinecam: the method built on (default gradcam for finercam, gradcam++ for refinecam; one of {string.Join(", ", BaseMethods.Layer)})",
    });

    private readonly Option<double> _k = Finite(new Option<double>("--k")
    {
        Description = "fem: the k of the k-sigma rule (an element counts where it exceeds its channel's mean + k·std)",
        DefaultValueFactory = _ => 2,
    }, "--k", 2, min: 0);

    private readonly Option<string> _kernel = Kernel(new Option<string>("--kernel")
    {
        Description = "kpca-cam: kernel of the kernel PCA: rbf, sigmoid or cosine",
        DefaultValueFactory = _ => "sigmoid",
    });

    private readonly Option<bool> _guided = new("--guided")
    {
        Description = "Also write <stem>.<method>.guided.png: each map times the guided-backpropagation gradient of the photo",
    };

    /// <summary>The command these options belong to.</summary>
    public string Command { get; } = command;

    /// <summary>Every option.</summary>
    public IReadOnlyList<Option> All => Command == "explain"
        ? [_alpha, _compare, _baseMethod, _k, _kernel, _guided]
        : [_alpha, _compare, _baseMethod, _k, _kernel];

    /// <summary>The parsed settings.</summary>
    public CamFamilyParameters Read(ParseResult parse) => new()
    {
        Alpha = parse.GetValue(_alpha),
        Compare = parse.GetValue(_compare),
        BaseMethod = parse.GetValue(_baseMethod) is { } b ? b.Trim().ToLowerInvariant() : null,
        K = parse.GetValue(_k),
        Kernel = KpcaKernels.Parse(parse.GetValue(_kernel)!),
        Guided = Command == "explain" && parse.GetValue(_guided),
    };

    private static Option<double> Finite(Option<double> o, string name, double fallback, double min)
    {
        o.Validators.Add(r =>
        {
            double v = CommonOptions.TryValue<double?>(r) ?? fallback;
            if (!double.IsFinite(v) || v < min) r.AddError($"{name} must be a finite number ≥ {min}; got {v}");
        });
        return o;
    }

    private static Option<int> AtLeastOne(Option<int> o)
    {
        o.Validators.Add(r =>
        {
            int v = CommonOptions.TryValue<int?>(r) ?? 3;
            if (v < 1) r.AddError($"--compare must be at least 1; got {v}");
        });
        return o;
    }

    private static Option<string?> BaseMethod(Option<string?> o)
    {
        o.Validators.Add(r =>
        {
            if (CommonOptions.TryValue<string?>(r) is { } v && !BaseMethods.Layer.Contains(v.Trim(), StringComparer.OrdinalIgnoreCase))
                r.AddError($"--base-method '{v}' is not a method of one target layer; use one of {string.Join(", ", BaseMethods.Layer)}");
        });
        return o;
    }

    private static Option<string> Kernel(Option<string> o)
    {
        o.Validators.Add(r =>
        {
            if (CommonOptions.TryValue<string?>(r) is { } v && !KpcaKernels.Names.Contains(v.Trim().ToLowerInvariant()))
                r.AddError($"--kernel '{v}' is unknown; use one of {string.Join(", ", KpcaKernels.Names)}");
        });
        return o;
    }
}
