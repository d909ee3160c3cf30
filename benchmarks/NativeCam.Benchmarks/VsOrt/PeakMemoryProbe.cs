using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using NativeCam.Cam.Diagnostics;
using NativeCam.Engine;
using NativeCam.Importers.Onnx;
using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;

namespace NativeCam.Benchmarks.VsOrt;

/// <summary>
/// Peak working set of one engine on one model, measured fairly: a fresh process of this program loads the model
/// with that engine alone, runs it <see cref="Runs"/> times at batch 1 on the seeded input and prints its own peak
/// (<see cref="PeakMemory"/>: the kernel's high-water mark of the resident set, the runtime included).
/// </summary>
public static class PeakMemoryProbe
{
    /// <summary>The argument that starts the child mode.</summary>
    public const string Command = "peak-memory";

    /// <summary>Runs after the load.</summary>
    public const int Runs = 10;

    /// <summary>The engines measured.</summary>
    public static readonly string[] Engines = ["nativecam", "ort"];

    /// <summary>
    /// Measures <paramref name="engine"/> on <paramref name="file"/> in a child process; the peak in bytes, or an
    /// error message.
    /// </summary>
    public static (long? Bytes, string? Error) Measure(string engine, string file, int threads)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // this program again: its own executable, or `dotnet NativeCam.Benchmarks.dll` (also when loaded by a test host)
        string? self = Environment.ProcessPath;
        var benchmarks = typeof(PeakMemoryProbe).Assembly;
        if (self is not null && Path.GetFileNameWithoutExtension(self) != "dotnet" && Assembly.GetEntryAssembly() == benchmarks)
            start.FileName = self;
        else
        {
            start.FileName = self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
            start.ArgumentList.Add(benchmarks.Location);
        }
        foreach (var a in new[] { Command, engine, file, threads.ToString(CultureInfo.InvariantCulture) }) start.ArgumentList.Add(a);
        using var child = Process.Start(start) ?? throw new InvalidOperationException("cannot start a child process");
        var stderr = child.StandardError.ReadToEndAsync();
        string stdout = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith("peak-bytes ", StringComparison.Ordinal));
        if (child.ExitCode == 0 && line is not null && long.TryParse(line["peak-bytes ".Length..].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long bytes))
            return (bytes, null);
        var why = (stderr.Result + stdout).Trim();
        return (null, $"{engine}: exit code {child.ExitCode}: {string.Join("; ", why.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(3))}");
    }

    /// <summary>The child: <c>peak-memory ENGINE FILE THREADS</c>; prints <c>peak-bytes N</c>.</summary>
    public static int RunChild(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Count != 3 || !Engines.Contains(args[0]) || !int.TryParse(args[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int threads) || threads < 1)
        {
            stderr.WriteLine($"usage: {Command} {string.Join("|", Engines)} FILE THREADS");
            return 2;
        }
        string file = args[1];
        if (args[0] == "nativecam")
        {
            var model = OnnxModel.Load(file, new OnnxImportOptions { Backend = new CpuKernels(threads: threads) });
            using var input = Tensor.Uniform(model.InputShape, 0, -2, 2, DType.Float32, model.Backend);
            for (int i = 0; i < Runs; i++) model.Run(input).Dispose();
        }
        else
        {
            using var ort = new OrtPeer(file, threads);
            var shape = ort.InputShape;
            var data = new float[shape.Aggregate(1, (p, d) => p * d)];
            var r = new Random(0);
            for (int i = 0; i < data.Length; i++) data[i] = (float)(4 * r.NextDouble() - 2);
            using var value = OrtPeer.Input(data, shape);
            for (int i = 0; i < Runs; i++) ort.Run(value);
        }
        stdout.WriteLine($"peak-bytes {PeakMemory.Bytes().ToString(CultureInfo.InvariantCulture)}");
        return 0;
    }
}
