using System.Diagnostics;
using NativeCam.Cam;
using NativeCam.Cam.Images;
using NativeCam.Engine;
using NativeCam.Importers.Onnx;
using NativeCam.Kernels.Cpu;
using NativeCam.Importers;

namespace NativeCam.Benchmarks;

/// <summary>
/// <c>explain-speed [IMAGE]</c>: side by side in one run, the embedded model's forward pass alone and a full
/// ShapleyCAM explanation (forward, head probe with H·A, weights, post-processing) at 1 and 2 threads, image
/// decoding and file writing excluded. Prints ms per image (median and minimum) and the ratio.
/// </summary>
public static class ExplainSpeed
{
    /// <summary>Runs the comparison.</summary>
    public static void Run(string imagePath)
    {
        var (chw, _) = ImageNetPreprocessor.Preprocess(new ImageLoader().Load(imagePath));
        Console.WriteLine($"{"threads",7} {"forward median",15} {"forward min",12} {"explain median",15} {"explain min",12} {"ratio (median)",15}");
        foreach (int threads in new[] { 1, 2 })
        {
            var backend = new CpuKernels(threads: threads);
            var model = DefaultModel.Load(new OnnxImportOptions { Backend = backend });
            var input = Tensor.FromArray(chw, [1, 3, 224, 224], backend);
            var explainer = new Explainer(model);
            var options = new ExplainOptions { Methods = ["shapleycam"] };
            var forward = Measure(() => model.Run(input));
            var probe = new List<double>();
            var method = new List<double>();
            var explain = Measure(() =>
            {
                var e = explainer.Explain(input, options);
                probe.Add(e.ProbeSeconds * 1e3);
                method.Add(e.Methods[0].Seconds * 1e3);
            });
            probe.Sort();
            method.Sort();
            Console.WriteLine($"{threads,7} {forward.Median,15:F1} {forward.Min,12:F1} {explain.Median,15:F1} {explain.Min,12:F1} {explain.Median / forward.Median,15:F2}" +
                $"   (probe median {probe[probe.Count / 2]:F1} ms, weights + post-processing {method[method.Count / 2]:F1} ms)");
        }
    }

    /// <summary>Median and minimum in ms over at least 20 runs or 3 s after two warm-up runs, interleaving nothing else.</summary>
    private static (double Median, double Min) Measure(Action run)
    {
        run(); run();
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 20 || total.Elapsed.TotalSeconds < 3)
        {
            long t0 = Stopwatch.GetTimestamp();
            run();
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            if (times.Count >= 500) break;
        }
        times.Sort();
        return (times[times.Count / 2], times[0]);
    }
}
