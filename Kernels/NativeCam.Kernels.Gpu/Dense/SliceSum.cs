using ILGPU;
using NativeCam.Kernels.Gpu.Kernels;

namespace NativeCam.Kernels.Gpu.Dense;

/// <summary>y[i] = Σ_s parts[s·len + i] over s in [0, slices), in order (0 slices write zeros).</summary>
internal static class SliceSum
{
    /// <summary>The kernel; i over y.</summary>
    public static void Kernel<T, TOps>(Index1D i, ArrayView<T> parts, ArrayView<T> y, int slices)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var o = default(TOps);
        long len = y.Length;
        T sum = o.Zero;
        for (int s = 0; s < slices; s++) sum = o.Add(sum, parts[s * len + i]);
        y[i] = sum;
    }
}
