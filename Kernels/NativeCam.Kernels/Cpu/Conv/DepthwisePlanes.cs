using System.Runtime.CompilerServices;
using NativeCam.Kernels.Cpu.Gemm;

namespace NativeCam.Kernels.Cpu.Conv;

/// <summary>
/// Runs a float32 depthwise kernel of one output channel per input channel plane by plane: threads take contiguous
/// runs of (image, channel) planes; each plane gets its input, its KH·KW weights, its bias, its output and residual.
/// </summary>
internal static unsafe class DepthwisePlanes
{
    /// <summary>One plane: y = act(bias + Σ taps + residual) (residual null when there is none).</summary>
    public delegate void Kernel(in ConvGeometry g, float* x, float* w, float bias, float* y, float* residual, Epilogue<float> act);

    /// <summary>Every plane of <paramref name="g"/> through <paramref name="plane"/>.</summary>
    public static void Run(CpuKernels cpu, ConvGeometry g, float* x, float* w, float* bias, float* y, Epilogue<float> act, float* residual, Kernel plane)
    {
        nint px = (nint)x, pw = (nint)w, pb = (nint)bias, py = (nint)y, pr = (nint)residual;
        int taps = g.KH * g.KW;
        cpu.ParallelRange(g.N * g.C, (long)g.N * g.C * g.OutPixels * taps * 2, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (from, to) =>
        {
            for (int u = from; u < to; u++)
            {
                int c = u % g.C;
                long at = (long)u * g.OutPixels;
                plane(g, (float*)px + (long)u * g.H * g.W, (float*)pw + (long)c * taps, pb == 0 ? 0f : ((float*)pb)[c],
                    (float*)py + at, pr == 0 ? null : (float*)pr + at, act);
            }
        });
    }
}
