using System.Globalization;
using NativeCam.Fuzz.Fuzzing;

namespace NativeCam.Fuzz;

/// <summary>
/// `fuzz [--minutes M] [--seed S] [--failures DIR]`: the in-process mutation fuzzer for as long as asked (failing
/// inputs are written to DIR, default ./fuzz-failures; --current FILE keeps the input being run, for hangs and
/// crashes); `regressions DIR`: writes the regression inputs.
/// Exit code 0 when nothing failed, 1 otherwise, 2 on bad usage.
/// </summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        if (args.Length >= 1 && args[0] == "fuzz") return Fuzz(args[1..]);
        if (args.Length == 5 && args[0] == "mutants")
        {
            Mutants(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture),
                int.Parse(args[4], CultureInfo.InvariantCulture));
            return 0;
        }
        if (args.Length == 2 && args[0] == "regressions")
        {
            foreach (var f in RegressionInputs.WriteAll(args[1])) Console.WriteLine(f);
            return 0;
        }
        Console.Error.WriteLine("usage: fuzz [--minutes M] [--seed S] [--failures DIR] [--current FILE] | regressions DIR | mutants DIR IMAGES MODELS SEED");
        return 2;
    }

    /// <summary>Writes mutated images to DIR/images and mutated models to DIR/models (for runs through the CLI).</summary>
    private static void Mutants(string dir, int images, int models, int seed)
    {
        var mutator = new Mutator(seed);
        var imageSeeds = Seeds.Images();
        var modelSeeds = new List<Seed>
        {
            new("tiny.onnx", InputKind.Onnx, TinyModels.Build(32, 6, 5, TinyModels.Head.Logits)),
            new("binary.onnx", InputKind.Onnx, RegressionInputs.BinaryModel()),
            new("two-outputs.onnx", InputKind.Onnx, RegressionInputs.TwoOutputModel()),
        };
        modelSeeds.AddRange(Seeds.Models(AppContext.BaseDirectory, maxFixtures: 2));
        Directory.CreateDirectory(Path.Combine(dir, "images"));
        Directory.CreateDirectory(Path.Combine(dir, "models"));
        for (int i = 0; i < images; i++)
        {
            var s = imageSeeds[i % imageSeeds.Count];
            string ext = s.Kind switch { InputKind.Png => "png", InputKind.Jpeg => "jpg", _ => "bmp" };
            File.WriteAllBytes(Path.Combine(dir, "images", $"{i:D4}-{Path.GetFileNameWithoutExtension(s.Name)}.{ext}"), mutator.Mutate(s.Bytes, s.Kind, s.Map));
        }
        for (int i = 0; i < models; i++)
        {
            // the embedded model (3.6 MB) for one mutant in ten, the small ones otherwise
            var s = i % 10 == 9 ? modelSeeds[^1] : modelSeeds[i % (modelSeeds.Count - 1)];
            File.WriteAllBytes(Path.Combine(dir, "models", $"{i:D4}-{Path.GetFileNameWithoutExtension(s.Name)}.onnx"), mutator.Mutate(s.Bytes, s.Kind, s.Map));
        }
    }

    private static int Fuzz(string[] args)
    {
        double minutes = 1;
        int seed = Environment.TickCount;
        string failures = "fuzz-failures";
        string? current = null;
        for (int i = 0; i + 1 < args.Length; i += 2)
            switch (args[i])
            {
                case "--minutes": minutes = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--failures": failures = args[i + 1]; break;
                case "--current": current = args[i + 1]; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        Console.WriteLine($"seed {seed}, {minutes} minute(s)");
        var summary = FuzzRun.Run(Seeds.Images(), Seeds.Models(AppContext.BaseDirectory, maxFixtures: 8), int.MaxValue / 4, int.MaxValue / 8, seed,
            TimeSpan.FromMinutes(minutes), Console.WriteLine,
            // --current FILE: each input is written there before it runs, so a hang or a crash leaves it behind
            current is null ? null : (_, _, input) => File.WriteAllBytes(current, input));
        Console.WriteLine(summary);
        if (summary.Failures.Count == 0) return 0;
        Directory.CreateDirectory(failures);
        foreach (var f in summary.Failures)
        {
            string ext = f.Kind switch { InputKind.Png => "png", InputKind.Jpeg => "jpg", InputKind.Bmp => "bmp", _ => "onnx" };
            var path = Path.Combine(failures, $"{seed}-{f.Case}-{Path.GetFileNameWithoutExtension(f.Seed)}.{ext}");
            File.WriteAllBytes(path, f.Input);
            File.WriteAllText(path + ".txt", f.Detail);
        }
        Console.WriteLine($"failing inputs written to {Path.GetFullPath(failures)}");
        return 1;
    }
}
