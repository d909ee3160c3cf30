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
    /// Wraps a function from a batch [B,C,H,W] to probabilities [B,K]; inputs are sent in chunks of
    /// min(<paramref name="maxBatch"/>, inputs) images, as tensors of <paramref name="backend"/> (the model's backend;
    /// default: the CPU). Scores do not depend on the chunking: no kernel mixes the images of a batch, and a dense
    /// head's GEMM sums each row in one order for any batch of up to 64 rows.
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
            int chunk = Math.Min(maxBatch, inputs.Length);
            for (int start = 0; start < inputs.Length; start += chunk)
            {
                int n = Math.Min(chunk, inputs.Length - start);
                int rows = n;
                var data = GC.AllocateUninitializedArray<float>(rows * size);
                for (int i = 0; i < rows; i++)
                {
                    var image = inputs[start + i];
                    if (image.Length != size)
                        throw new ArgumentException($"input {start + i} has {image.Length} values, expected {size}");
                    image.CopyTo(data, i * size);
                }
                using var batch = Tensor.FromArray(data, [rows, channels, height, width], backend);
                using var probs = probabilities(batch);
                if (probs.Rank != 2 || probs.Shape[0] != rows)
                    throw new InvalidOperationException($"the model returned shape [{string.Join(",", probs.Shape)}], expected [{rows},K]");
                var flat = probs.ToFloatArray();
                int k = probs.Shape[1];
                for (int i = 0; i < n; i++)
                    result[start + i] = flat.AsSpan(i * k, k).ToArray();
            }
            return result;
        };
    }
}
