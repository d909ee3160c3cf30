using System.Numerics;

namespace NativeCam.Kernels.Cpu.Pooling;

/// <summary>
/// OpenCV INTER_LINEAR taps along one axis: for output index d, src = (d + 0.5)·in/out − 0.5, clamped below at 0;
/// i0 = ⌊src⌋, i1 = min(i0 + 1, in − 1), weights (1 − f, f) with f = src − i0. The same formula up- and downsampling
/// (no antialiasing). With aligned corners (PyTorch align_corners=True): src = d·(in − 1)/(out − 1).
/// </summary>
internal sealed class ResizeTable<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public readonly int[] I0, I1;
    public readonly T[] W0, W1;

    public ResizeTable(int inSize, int outSize, bool alignCorners = false)
    {
        I0 = new int[outSize]; I1 = new int[outSize];
        W0 = new T[outSize]; W1 = new T[outSize];
        double scale = alignCorners ? (outSize > 1 ? (double)(inSize - 1) / (outSize - 1) : 0) : (double)inSize / outSize;
        for (int d = 0; d < outSize; d++)
        {
            // aligned corners: src = d·(in − 1)/(out − 1), never below 0
            double src = alignCorners ? d * scale : Math.Max(0, (d + 0.5) * scale - 0.5);
            int i0 = Math.Min((int)Math.Floor(src), inSize - 1);
            double f = src - i0;
            I0[d] = i0;
            I1[d] = Math.Min(i0 + 1, inSize - 1);
            W0[d] = T.CreateChecked(1 - f);
            W1[d] = T.CreateChecked(f);
        }
    }

    /// <summary>The transposed taps grouped by input index (CSR): for input i, entries [Start[i], Start[i+1]) hold the
    /// output indices and weights that read it.</summary>
    public (int[] Start, int[] Out, T[] Weight) Transposed(int inSize)
    {
        int n = I0.Length;
        var start = new int[inSize + 1];
        for (int d = 0; d < n; d++) { start[I0[d] + 1]++; start[I1[d] + 1]++; }
        for (int i = 0; i < inSize; i++) start[i + 1] += start[i];
        var fill = (int[])start.Clone();
        var outIdx = new int[2 * n];
        var w = new T[2 * n];
        for (int d = 0; d < n; d++)
        {
            outIdx[fill[I0[d]]] = d; w[fill[I0[d]]++] = W0[d];
            outIdx[fill[I1[d]]] = d; w[fill[I1[d]]++] = W1[d];
        }
        return (start, outIdx, w);
    }
}
