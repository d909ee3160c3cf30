using System.Diagnostics;
using NativeCam.Cam;
using NativeCam.Cam.Images;
using NativeCam.Engine;
using NativeCam.Importers.Onnx;

namespace NativeCam.Fuzz.Fuzzing;

/// <summary>How one input fared.</summary>
public enum Outcome
{
    /// <summary>It loaded (and for models, ran).</summary>
    Loaded,
    /// <summary>It was refused with a documented exception type.</summary>
    Refused,
    /// <summary>Anything else: an undocumented exception, too much time or memory.</summary>
    Failed,
}

/// <summary>The result of one case.</summary>
public sealed record CaseResult(Outcome Outcome, string Detail, double Seconds, long AllocatedBytes);

/// <summary>
/// The code under test, in process: images through <see cref="ImageLoader"/> (refusals must be
/// <see cref="ImageLoadException"/>), models through <see cref="OnnxModel.Load(byte[], string, OnnxImportOptions?)"/>,
/// the classifier-output check and one forward pass (refusals must be <see cref="OnnxImportException"/> or
/// <see cref="ClassifierOutputException"/>). Each case must also stay within a time and an allocation budget.
/// </summary>
public static class FuzzTargets
{
    /// <summary>Largest managed allocation one case may make.</summary>
    public const long MaxCaseBytes = 512L << 20;

    /// <summary>Longest one case may take.</summary>
    public const double MaxCaseSeconds = 20;

    private static readonly ImageLimits Limits = new() { MaxPixels = 16_000_000, MaxAllocationMegabytes = 256 };
    private static readonly ImageLoader Strict = new(Limits);
    private static readonly ImageLoader Lenient = new(Limits) { AllowTruncated = true };
    private static readonly OnnxImportOptions ModelOptions = new() { MaxTensorElements = 1L << 24 };

    /// <summary>Decodes the bytes as the CLI does (refusing truncated data), and with truncated data allowed.</summary>
    public static CaseResult Image(byte[] data) => Measure(() =>
    {
        bool any = false;
        foreach (var loader in new[] { Strict, Lenient })
        {
            try
            {
                var image = loader.DecodeForModel(data, "fuzz-input", 32, 32);
                if (image.Crop.Width != 32 || image.Crop.Height != 32) throw new InvalidOperationException("wrong crop size");
                any = true;
            }
            catch (ImageLoadException) { }
        }
        return any ? Outcome.Loaded : Outcome.Refused;
    });

    /// <summary>Imports the bytes as a model, checks its output and runs it once on a seeded random input.</summary>
    public static CaseResult Model(byte[] data) => Measure(() =>
    {
        try
        {
            var model = OnnxModel.Load(data, "fuzz-input.onnx", ModelOptions);
            ClassifierOutput.Of(model);
            using var input = Tensor.Uniform(model.InputShape, 0, -2, 2);
            using var output = model.Run(input);
            var probabilities = ClassifierOutput.ToLogits(output).Softmax(1);
            probabilities.Dispose();
            return Outcome.Loaded;
        }
        catch (Exception e) when (e is OnnxImportException or ClassifierOutputException) { return Outcome.Refused; }
    });

    private static CaseResult Measure(Func<Outcome> run)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        Outcome outcome;
        string detail = "";
        try { outcome = run(); }
        catch (Exception e)
        {
            outcome = Outcome.Failed;
            detail = $"{e.GetType().FullName}: {e.Message}\n{e.StackTrace}";
        }
        double seconds = clock.Elapsed.TotalSeconds;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (outcome != Outcome.Failed && seconds > MaxCaseSeconds) (outcome, detail) = (Outcome.Failed, $"took {seconds:0.0} s");
        if (outcome != Outcome.Failed && allocated > MaxCaseBytes) (outcome, detail) = (Outcome.Failed, $"allocated {allocated >> 20} MiB");
        return new CaseResult(outcome, detail, seconds, allocated);
    }
}
