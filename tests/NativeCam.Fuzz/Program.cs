using System.Globalization;
using NativeCam.Fuzz.Fuzzing;

namespace NativeCam.Fuzz;

/// <summary>
/// `fuzz [--minutes M] [--seed S] [--failures DIR]`: the in-process mutation fuzzer for as long as asked (failing
/// inputs are written to DIR, default ./fuzz-failures); `regressions DIR`: writes the regression inputs.
/// Exit code 0 when nothing failed, 1 otherwise, 2 on bad usage.
/// </summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        if (args.Length >= 1 && args[0] == "fuzz") return Fuzz(args[1..]);
        if (args.Length == 2 && args[0] == "regressions")
        {
            foreach (var f in RegressionInputs.WriteAll(args[1])) Console.WriteLine(f);
            return 0;
        }
        Console.Error.WriteLine("usage: fuzz [--minutes M] [--seed S] [--failures DIR] | regressions DIR");
        return 2;
    }

    private static int Fuzz(string[] args)
    {
        double minutes = 1;
        int seed = Environment.TickCount;
        string failures = "fuzz-failures";
        for (int i = 0; i + 1 < args.Length; i += 2)
            switch (args[i])
            {
                case "--minutes": minutes = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--failures": failures = args[i + 1]; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        Console.WriteLine($"seed {seed}, {minutes} minute(s)");
        var summary = FuzzRun.Run(Seeds.Images(), Seeds.Models(AppContext.BaseDirectory, maxFixtures: 8), int.MaxValue / 4, int.MaxValue / 8, seed,
            TimeSpan.FromMinutes(minutes), Console.WriteLine);
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
