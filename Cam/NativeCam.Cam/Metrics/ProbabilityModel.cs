using NativeCam.Engine;

namespace NativeCam.Cam.Metrics;

/// <summary>
/// A classifier seen as a function from a batch of normalised inputs (each CHW, flattened row-major) to their softmax
/// probabilities (one row of K per input). Metrics call it with many masked images at once.
/// </summary>
public delegate float[][] ProbabilityModel(float[][] inputs);

/// <summary>Adapters that turn tensor-valued classifiers into a <see cref="ProbabilityModel"/>.</summary>
public static class ProbabilityModels
{
    /// <summary>
    /// Wraps a function from a batch [B,C,H,W] to probabilities [B,K]; inputs are sent in chunks of at most
    /// <paramref name="maxBatch"/> images, as tensors of <paramref name="backend"/> (the model's backend; default: the CPU).
    /// </summary>
    public static ProbabilityModel FromTensor(Func<Tensor, Tensor> probabilities, int channels, int height, int width, int maxBatch = 32,
        NativeCam.Kernels.IKernels? backend = null)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        int size = channels * height * width;
        return inputs =>
        {
            var result = new float[inputs.Length][];
            for (int start = 0; start < inputs.Length; start += maxBatch)
            {
                int n = Math.Min(maxBatch, inputs.Length - start);
                var data = new float[n * size];
                for (int i = 0; i < n; i++)
                {
                    if (inputs[start + i].Length != size)
                        throw new ArgumentException($"input {start + i} has {inputs[start + i].Length} values, expected {size}");
                    inputs[start + i].CopyTo(data, i * size);
                }
                using var batch = Tensor.FromArray(data, [n, channels, height, width], backend);
                using var probs = probabilities(batch);
                if (probs.Rank != 2 || probs.Shape[0] != n)
                    throw new InvalidOperationException($"the model returned shape [{string.Join(",", probs.Shape)}], expected [{n},K]");
                var flat = probs.ToFloatArray();
                int k = probs.Shape[1];
                for (int i = 0; i < n; i++)
                    result[start + i] = flat.AsSpan(i * k, k).ToArray();
            }
            return result;
        };
    }
}
