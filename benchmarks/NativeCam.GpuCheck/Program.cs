using System.Diagnostics;
using NativeCam.GpuCheck;
using NativeCam.Kernels;
using NativeCam.Kernels.Gpu;

// The GPU check: the kernel test table on the ILGPU backend, the models on it against the CPU backend, and its
// throughput. Each step prints PASS or FAIL; the exit code is 0 only when every step passed.
if (args.Contains("--help") || args.Contains("-h")) { Console.WriteLine(CheckOptions.Usage); return 0; }
CheckOptions o;
try { o = CheckOptions.Parse(args); }
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(CheckOptions.Usage);
    return 2;
}

var log = Console.Out;
var clock = Stopwatch.StartNew();
bool passed = true;
KernelTableResult? kernels = null;
List<ModelComparisonResult>? models = null;
List<ThroughputCell>? throughput = null;
string acceleratorName = "none";

IKernels? device = null;
if (o.Device == "cuda" && !IlgpuKernels.IsCudaAvailable)
{
    log.WriteLine("FAIL device: no CUDA device found (an NVIDIA GPU and driver are needed); --device ilgpu-cpu runs the check on ILGPU's CPU accelerator");
    passed = false;
}
else
{
    var k = o.Device == "cuda" ? IlgpuKernels.CreateCuda() : IlgpuKernels.CreateCpu();
    acceleratorName = $"{k.Accelerator.Name} ({k.Accelerator.AcceleratorType})";
    log.WriteLine($"device: {acceleratorName}; host: {Environment.ProcessorCount} processors, .NET {Environment.Version}");
    device = k;
}

if (device is not null && o.Steps.Contains("kernels"))
{
    kernels = KernelTable.Run(o.KernelBackend, o.Filters, o.Caps["kernels"], log);
    int failed = kernels.Cases.Count(c => !c.Passed);
    log.WriteLine(kernels.Passed
        ? $"PASS kernels: {kernels.Cases.Count} cases on {kernels.Backend} ({kernels.Cases.Sum(c => c.Seconds):F1} s)"
        : $"FAIL kernels: {kernels.Problem ?? $"{failed} of {kernels.Cases.Count} cases failed, {kernels.NotRun} not run"}");
    passed &= kernels.Passed;
}

if (device is not null && o.Steps.Contains("models"))
{
    var deadline = DateTime.UtcNow.AddSeconds(o.Caps["models"]);
    models = [];
    try
    {
        var list = o.MobileNet ? new List<CheckModel> { CheckModel.MobileNetV2(o.Repo) } : [];
        list.AddRange(CheckModel.Fixtures(o.Repo, o.Fixtures));
        if (o.ResNet50 is not null) list.Add(CheckModel.ResNet50(o.ResNet50, o.Repo));
        log.WriteLine($"models: {device.Name} against the CPU backend, relative tolerance {o.Tolerance:G3}");
        foreach (var m in list)
        {
            var r = DateTime.UtcNow > deadline
                ? new ModelComparisonResult(m.Name, double.NaN, double.NaN, 0, "not run: the step's time cap was reached")
                : ModelComparison.Compare(m, device);
            models.Add(r);
            log.WriteLine(r.Error is null
                ? $"  {(r.Passed(o.Tolerance) ? "ok  " : "FAIL")} {r.Model,-18} logits max rel error {r.LogitsError:E2}, ShapleyCAM {r.MapError:E2} ({r.Seconds:F1} s)"
                : $"  FAIL {r.Model,-18} {r.Error}");
        }
        bool ok = models.Count > 0 && models.All(r => r.Passed(o.Tolerance));
        log.WriteLine(ok ? $"PASS models: {models.Count} models within {o.Tolerance:G3}" : $"FAIL models: {models.Count(r => !r.Passed(o.Tolerance))} of {models.Count} models failed");
        passed &= ok;
    }
    catch (Exception e) when (e is FileNotFoundException or ArgumentException or InvalidDataException)
    {
        log.WriteLine($"FAIL models: {e.Message}");
        passed = false;
    }
}

if (device is not null && o.Steps.Contains("throughput"))
{
    var deadline = DateTime.UtcNow.AddSeconds(o.Caps["throughput"]);
    throughput = [];
    try
    {
        var list = o.MobileNet ? new List<CheckModel> { CheckModel.MobileNetV2(o.Repo) } : [];
        if (o.ResNet50 is not null) list.Add(CheckModel.ResNet50(o.ResNet50, o.Repo));
        else log.WriteLine("note: no --resnet50 file; the throughput table leaves the full-size ResNet-50 out");
        if (list.Count == 0) throw new ArgumentException("throughput: no model (--no-mobilenet without --resnet50)");
        log.WriteLine($"throughput on {device.Name}: batches {string.Join(", ", o.Batches)}, about {o.Seconds:G3} s per cell");
        foreach (var m in list) throughput.AddRange(Throughput.Measure(m, device, o.Batches, o.Seconds, deadline, log));
        log.WriteLine();
        log.WriteLine($"{"model",-18} {"batch",5} {"forward images/s",17} {"ShapleyCAM images/s",20}");
        foreach (var g in throughput.GroupBy(c => (c.Model, c.Batch)))
        {
            string Cell(string kind) => g.FirstOrDefault(c => c.Kind == kind) is { Error: null } c ? Throughput.Rate(c.ImagesPerSecond) : "—";
            log.WriteLine($"{g.Key.Model,-18} {g.Key.Batch,5} {Cell("forward"),17} {Cell("shapleycam"),20}");
        }
        var bad = throughput.Where(c => c.Error is not null).ToList();
        log.WriteLine(bad.Count == 0 ? $"PASS throughput: {throughput.Count} cells measured" : $"FAIL throughput: {bad.Count} of {throughput.Count} cells not measured");
        passed &= bad.Count == 0;
    }
    catch (Exception e) when (e is FileNotFoundException or ArgumentException or InvalidDataException)
    {
        log.WriteLine($"FAIL throughput: {e.Message}");
        passed = false;
    }
}

log.WriteLine($"{(passed ? "PASS" : "FAIL")} gpu check ({string.Join(", ", o.Steps)}) on {o.Device} in {clock.Elapsed.TotalSeconds:F0} s");
if (o.Out is not null)
{
    JsonReport.Write(o.Out, o, acceleratorName, kernels, models, throughput, passed, clock.Elapsed.TotalSeconds);
    log.WriteLine($"results: {o.Out}");
}
device?.Dispose();
return passed ? 0 : 1;
