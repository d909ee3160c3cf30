using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = NativeCam.Engine.Tensor;
using NativeCam.Importers.Onnx;

namespace NativeCam.Importers.Tests.Support;

/// <summary>ONNX Runtime as a test-only forward oracle, and side-by-side comparisons with the importer.</summary>
public static class OrtPeer
{
    /// <summary>Runs a model file in ORT on one float input; returns the named (or first) output's data and shape.</summary>
    public static (float[] Data, int[] Shape) Run(string modelPath, float[] input, int[] shape, string? inputName = null, string? output = null)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL, IntraOpNumThreads = 1 };
        using var session = new InferenceSession(modelPath, options);
        var name = inputName ?? session.InputMetadata.Keys.First();
        var tensor = new DenseTensor<float>(input, shape);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(name, tensor)], output is null ? [session.OutputMetadata.Keys.First()] : [output]);
        var t = results.First().AsTensor<float>();
        return (t.ToArray(), t.Dimensions.ToArray());
    }

    /// <summary>Seeded uniform input data.</summary>
    public static float[] RandomInput(int[] shape, int seed, double lo = -1, double hi = 1)
    {
        var r = new Random(seed);
        long n = 1;
        foreach (int d in shape) n *= d;
        return Enumerable.Range(0, (int)n).Select(_ => (float)(lo + (hi - lo) * r.NextDouble())).ToArray();
    }

    /// <summary>
    /// Imports <paramref name="modelPath"/>, runs it and ORT on the same input, and asserts the outputs agree within
    /// |ours − ort| ≤ atol + rtol·|ort| with identical shapes.
    /// </summary>
    public static void AssertMatches(string modelPath, int[] inputShape, double rtol = 1e-4, double atol = 1e-5, int seed = 1, double lo = -1, double hi = 1)
    {
        var input = RandomInput(inputShape, seed, lo, hi);
        var (expected, expectedShape) = Run(modelPath, input, inputShape);
        var model = OnnxModel.Load(modelPath, new OnnxImportOptions { InputShape = inputShape });
        var ours = model.Run(Tensor.FromArray(input, inputShape));
        Assert.Equal(expectedShape, ours.Shape);
        var actual = ours.ToFloatArray();
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(actual[i] - expected[i]) <= atol + rtol * Math.Abs(expected[i])))
                Assert.Fail($"{Path.GetFileName(modelPath)}: element {i} is {actual[i]}, ORT gives {expected[i]} (rtol {rtol}, atol {atol})");
    }
}
