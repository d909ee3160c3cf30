namespace NativeCam.Benchmarks.VsOrt;

/// <summary>One engine's timing of one cell.</summary>
/// <param name="MinMs">Fastest run.</param>
/// <param name="MedianMs">Median run.</param>
/// <param name="Runs">Timed runs.</param>
/// <param name="ImagesPerSecond">Batch size over the fastest run.</param>
/// <param name="Gflops">The model's flops (<c>ModelFlops</c>, at this batch) over the fastest run.</param>
/// <param name="PercentOfPeak">Gflops over the same-run FMA peak at this thread count, in percent.</param>
public sealed record EngineTiming(double MinMs, double MedianMs, int Runs, double ImagesPerSecond, double Gflops, double PercentOfPeak);

/// <summary>One (threads, batch) cell of one model.</summary>
/// <param name="Threads">Threads of both engines.</param>
/// <param name="Batch">Images per run.</param>
/// <param name="NativeCam">NativeCam's timing (null when the outputs disagree or a run failed).</param>
/// <param name="Ort">ONNX Runtime's timing (likewise).</param>
/// <param name="RatioMin">NativeCam ÷ ORT of the fastest runs (above 1: NativeCam is slower).</param>
/// <param name="RatioMedian">NativeCam ÷ ORT of the medians.</param>
/// <param name="MaxRelativeDifference">Of the outputs on the same input (<see cref="Agreement"/>).</param>
/// <param name="Agree">Whether that difference is within the tolerance.</param>
/// <param name="Error">Why the cell was not timed, if it was not.</param>
public sealed record VsOrtCell(int Threads, int Batch, EngineTiming? NativeCam, EngineTiming? Ort, double? RatioMin, double? RatioMedian,
    double? MaxRelativeDifference, bool Agree, string? Error);

/// <summary>One model's cells.</summary>
/// <param name="Model">The file name.</param>
/// <param name="InputShape">The input shape at batch 1.</param>
/// <param name="GflopPerImage">2 × multiply-adds of the Conv/Gemm/MatMul layers at batch 1.</param>
/// <param name="NativeCamImportMs">NativeCam's import at batch 1 (first thread count).</param>
/// <param name="OrtSessionMs">ONNX Runtime's session creation (first thread count).</param>
/// <param name="Cells">Per thread count and batch size.</param>
public sealed record VsOrtModel(string Model, int[] InputShape, double GflopPerImage, double NativeCamImportMs, double OrtSessionMs,
    IReadOnlyList<VsOrtCell> Cells)
{
    /// <summary>NativeCam's peak working set in MB: a process of its own loads the model and runs it
    /// <see cref="PeakMemoryProbe.Runs"/> times at batch 1 (first thread count); null when not measured.</summary>
    public double? NativeCamPeakMb { get; init; }

    /// <summary>ONNX Runtime's, measured the same way.</summary>
    public double? OrtPeakMb { get; init; }

    /// <summary>Why a peak is missing, when one is.</summary>
    public string? MemoryError { get; init; }
}

/// <summary>The whole run (the <c>--json</c> document).</summary>
/// <param name="OrtVersion">ONNX Runtime's version string.</param>
/// <param name="Processor">The SIMD width used by the FMA peak loop and the processor count.</param>
/// <param name="PeakGflops">The FMA peak by thread count, measured at the start of this run.</param>
/// <param name="MinSeconds">Seconds per cell.</param>
/// <param name="MinRuns">Runs per engine and cell.</param>
/// <param name="Tolerance">Largest accepted relative output difference.</param>
/// <param name="Models">Per model.</param>
public sealed record VsOrtRun(string OrtVersion, string Processor, IReadOnlyDictionary<string, double> PeakGflops, double MinSeconds, int MinRuns,
    double Tolerance, IReadOnlyList<VsOrtModel> Models);
