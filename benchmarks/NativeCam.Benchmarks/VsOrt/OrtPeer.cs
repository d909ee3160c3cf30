using Microsoft.ML.OnnxRuntime;

namespace NativeCam.Benchmarks.VsOrt;

/// <summary>
/// An ONNX Runtime session set up like NativeCam runs: the CPU execution provider, <c>IntraOpNumThreads</c> = the
/// thread count, <c>InterOpNumThreads</c> = 1, sequential execution, all graph optimisations. Its worker threads do
/// not spin after a run (<c>session.intra_op.allow_spinning</c> = 0): the two engines run alternately on the same
/// cores, and spinning workers would take the cores from the other engine's next run.
/// </summary>
public sealed class OrtPeer : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();

    /// <summary>Opens <paramref name="file"/> for <paramref name="threads"/> threads.</summary>
    public OrtPeer(string file, int threads)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _session = new InferenceSession(file, options);
        InputName = _session.InputNames[0];
        OutputName = _session.OutputNames[0];
        InputShape = _session.InputMetadata[InputName].Dimensions.Select(d => d > 0 ? d : 1).ToArray(); // symbolic dims: 1
    }

    /// <summary>The first input's declared shape, symbolic dimensions (the batch) as 1.</summary>
    public int[] InputShape { get; }

    /// <summary>ONNX Runtime's version.</summary>
    public static string Version => OrtEnv.Instance().GetVersionString();

    /// <summary>The first input's name.</summary>
    public string InputName { get; }

    /// <summary>The first output's name.</summary>
    public string OutputName { get; }

    /// <summary>A reusable input value over <paramref name="data"/> (no copy; keep the array alive).</summary>
    public static OrtValue Input(float[] data, int[] shape) =>
        OrtValue.CreateTensorValueFromMemory(data, shape.Select(d => (long)d).ToArray());

    /// <summary>One run; the first output's values are copied out only when <paramref name="copy"/> is set.</summary>
    public float[]? Run(OrtValue input, bool copy = false)
    {
        using var outputs = _session.Run(_run, [InputName], [input], [OutputName]);
        return copy ? outputs[0].GetTensorDataAsSpan<float>().ToArray() : null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _run.Dispose();
        _session.Dispose();
    }
}
