namespace NativeCam.GpuCheck;

/// <summary>The command line of the GPU check.</summary>
public sealed record CheckOptions
{
    /// <summary>The steps to run, in order: kernels, models, throughput.</summary>
    public IReadOnlyList<string> Steps { get; init; } = ["kernels", "models", "throughput"];

    /// <summary>"cuda" (the default) or "ilgpu-cpu" (ILGPU's CPU accelerator, to try the check without a GPU).</summary>
    public string Device { get; init; } = "cuda";

    /// <summary>The repository root (fixture models and sample images are read from it).</summary>
    public string Repo { get; init; } = ".";

    /// <summary>Substrings; a kernel test runs when its display name contains one of them (empty: all).</summary>
    public IReadOnlyList<string> Filters { get; init; } = [];

    /// <summary>Fixture models to compare (null: every model of the manifest; empty: none).</summary>
    public IReadOnlyList<string>? Fixtures { get; init; }

    /// <summary>False: leave the embedded MobileNetV2 out of the comparison and the throughput.</summary>
    public bool MobileNet { get; init; } = true;

    /// <summary>The full-size ResNet-50 (.onnx) for the comparison and the throughput; null: left out.</summary>
    public string? ResNet50 { get; init; }

    /// <summary>Batch sizes of the throughput table.</summary>
    public IReadOnlyList<int> Batches { get; init; } = [1, 16, 64];

    /// <summary>Seconds timed per throughput cell (after the warm-up runs).</summary>
    public double Seconds { get; init; } = 2.5;

    /// <summary>Relative tolerance of the model comparison (relative to the largest |value| of the CPU result).</summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>Time cap per step in seconds, by step name.</summary>
    public IReadOnlyDictionary<string, double> Caps { get; init; } =
        new Dictionary<string, double> { ["kernels"] = 150, ["models"] = 120, ["throughput"] = 150 };

    /// <summary>The JSON report's path (null: none).</summary>
    public string? Out { get; init; }

    /// <summary>The kernel test table's backend name for <see cref="Device"/>.</summary>
    public string KernelBackend => Device == "cuda" ? "ilgpu-cuda" : "ilgpu-cpu";

    /// <summary>The usage text.</summary>
    public const string Usage = """
        usage: nativecam-gpucheck [kernels] [models] [throughput] [options]     (no step: all three)
          --device cuda|ilgpu-cpu   backend under test (default cuda; ilgpu-cpu runs the same code on ILGPU's CPU accelerator)
          --backend NAME            the same, by kernel-table name: ilgpu-cuda or ilgpu-cpu
          --repo DIR                repository root holding tests/fixtures/models and Cam/samples (default .)
          --filter TEXT             kernels: run only tests whose name contains TEXT (repeatable)
          --fixtures a,b|none       models: fixture models to compare (default: all in the manifest)
          --resnet50 FILE           the full-size ResNet-50 ONNX file (models and throughput)
          --no-mobilenet            leave the embedded MobileNetV2 out (models and throughput)
          --batches 1,16,64         throughput batch sizes
          --seconds S               throughput: seconds timed per cell (default 2.5)
          --tolerance R             models: relative tolerance (default 1e-4)
          --cap STEP=S              time cap of a step in seconds (defaults kernels=150 models=120 throughput=150)
          --out FILE                write the results as JSON
        exit codes: 0 every step passed, 1 a step failed, 2 usage error
        """;

    /// <summary>Parses the arguments.</summary>
    /// <exception cref="ArgumentException">An unknown or malformed argument (the message says which).</exception>
    public static CheckOptions Parse(string[] args)
    {
        var o = new CheckOptions();
        var steps = new List<string>();
        var filters = new List<string>();
        var caps = new Dictionary<string, double>(o.Caps);
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value");
            switch (a)
            {
                case "kernels" or "models" or "throughput": steps.Add(a); break;
                case "--device": o = o with { Device = DeviceName(Value()) }; break;
                case "--backend": o = o with { Device = DeviceName(Value()) }; break;
                case "--repo": o = o with { Repo = Value() }; break;
                case "--filter": filters.Add(Value()); break;
                case "--fixtures":
                    string f = Value();
                    o = o with { Fixtures = f == "none" ? [] : f.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) };
                    break;
                case "--resnet50": o = o with { ResNet50 = Value() }; break;
                case "--no-mobilenet": o = o with { MobileNet = false }; break;
                case "--batches": o = o with { Batches = Value().Split(',').Select(v => PositiveInt(a, v)).ToArray() }; break;
                case "--seconds": o = o with { Seconds = PositiveDouble(a, Value()) }; break;
                case "--tolerance": o = o with { Tolerance = PositiveDouble(a, Value()) }; break;
                case "--cap":
                    var kv = Value().Split('=', 2);
                    if (kv.Length != 2 || !caps.ContainsKey(kv[0])) throw new ArgumentException($"--cap {string.Join('=', kv)}: expected STEP=SECONDS with STEP kernels, models or throughput");
                    caps[kv[0]] = PositiveDouble(a, kv[1]);
                    break;
                case "--out": o = o with { Out = Value() }; break;
                default: throw new ArgumentException($"unknown argument '{a}'");
            }
        }
        return o with { Steps = steps.Count > 0 ? steps.Distinct().ToArray() : o.Steps, Filters = filters, Caps = caps };
    }

    private static string DeviceName(string v) => v switch
    {
        "cuda" or "gpu" or "ilgpu-cuda" => "cuda",
        "ilgpu-cpu" => "ilgpu-cpu",
        _ => throw new ArgumentException($"--device {v}: expected cuda or ilgpu-cpu"),
    };

    private static int PositiveInt(string option, string v) =>
        int.TryParse(v, out int n) && n > 0 ? n : throw new ArgumentException($"{option} {v}: expected positive integers");

    private static double PositiveDouble(string option, string v) =>
        double.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out double d) && d > 0
            ? d : throw new ArgumentException($"{option} {v}: expected a positive number");
}
