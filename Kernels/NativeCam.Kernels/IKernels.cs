namespace NativeCam.Kernels;

/// <summary>
/// The compute primitives every backend implements, over buffers of that backend. Kernels know nothing about
/// gradients or graphs. Float kernels accept Float32 or Float64 buffers (all operands of one call share a dtype);
/// index buffers are Int32. Output buffers are written, never read, unless a member says it accumulates.
/// </summary>
public interface IKernels : IDisposable
{
    /// <summary>A short name for messages and benchmarks, e.g. "cpu-avx512".</summary>
    string Name { get; }

    /// <summary>Allocates an uninitialised buffer.</summary>
    IBuffer Allocate(DType dtype, long length);

    /// <summary>Copies host data into a buffer of this backend (the edge of the device).</summary>
    void Upload<T>(ReadOnlySpan<T> source, IBuffer destination) where T : unmanaged;

    /// <summary>Copies a buffer of this backend to host memory.</summary>
    void Download<T>(IBuffer source, Span<T> destination) where T : unmanaged;

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    void Fill(IBuffer buffer, double value);

    /// <summary>Converts between float dtypes (or copies when equal).</summary>
    void Cast(IBuffer source, IBuffer destination);

    /// <summary>y = f(x) elementwise; x and y have equal lengths (y may be x).</summary>
    void Unary(UnaryKind kind, IBuffer x, IBuffer y, double alpha = 0, double beta = 0);

    /// <summary>y = a ∘ b with broadcasting described by <paramref name="p"/>.</summary>
    void Binary(BinaryKind kind, BroadcastParams p, IBuffer a, IBuffer b, IBuffer y);

    /// <summary>y = cond ≠ 0 ? a : b with broadcasting (StridesA for cond, StridesB for a, StridesC for b).</summary>
    void Where(BroadcastParams p, IBuffer cond, IBuffer a, IBuffer b, IBuffer y);

    /// <summary>
    /// result = lo &lt; gate &lt; hi ? t : 0 elementwise (one shape): the derivative of ReLU (lo = 0, hi = ∞: gate &gt; 0)
    /// or of a clip to [lo, hi] applied to t, read off the activation's output, in one pass (no 0/1 mask is made).
    /// With <paramref name="t2"/> and <paramref name="result2"/> a second tensor (a tangent) is gated in the same pass,
    /// reading the gate once.
    /// </summary>
    void Gate(IBuffer gate, IBuffer t, IBuffer result, double lo, double hi, IBuffer? t2 = null, IBuffer? result2 = null);

    /// <summary>
    /// SiLU's derivative family and its tangent in one pass (one shape): with sₖ = silu⁽ᵏ⁾,
    /// order 0: y = silu(x), dy = s₁(x)·dx (a and da null);
    /// order k = 1…<see cref="SiluDerivativeOrder.Max"/> − 1: y = sₖ(x)·a, dy = sₖ(x)·da + sₖ₊₁(x)·(a·dx).
    /// A null dx or da is a zero tangent (at least one is given); each product and sum is rounded as the separate
    /// passes would round it, so the results are those of <see cref="Unary"/> and <see cref="Binary"/> run one by one.
    /// </summary>
    void SiluDerivativePair(int order, IBuffer x, IBuffer? a, IBuffer? dx, IBuffer? da, IBuffer y, IBuffer dy);

    /// <summary>
    /// A broadcasting product and its tangent in one pass: y = a·b and dy = da·b + a·db, where da broadcasts as a and
    /// db as b (the strides A and B of <paramref name="p"/>). A null tangent is zero (at least one is given); each
    /// product and the sum are rounded as separate <see cref="Binary"/> passes round them.
    /// </summary>
    void ProductWithTangent(BroadcastParams p, IBuffer a, IBuffer b, IBuffer? da, IBuffer? db, IBuffer y, IBuffer dy);

    /// <summary>
    /// Reduces x of <paramref name="shape"/> over <paramref name="axes"/> (sorted, distinct) into y (the shape with
    /// those axes removed, row-major). For Max/Min, <paramref name="argIndex"/> (optional, Int32, same length as y)
    /// receives the flat index into x of the first extreme element.
    /// </summary>
    void Reduce(ReduceKind kind, int[] shape, int[] axes, IBuffer x, IBuffer y, IBuffer? argIndex = null);

    /// <summary>A strided copy (transpose, slice, concat, pad, expand); see <see cref="StridedCopyParams"/>.</summary>
    void StridedCopy(StridedCopyParams p, IBuffer source, IBuffer destination);

    /// <summary>y[i] = x[index[i]] (index Int32, flat into x).</summary>
    void GatherFlat(IBuffer x, IBuffer index, IBuffer y);

    /// <summary>y[index[i]] += x[i] (accumulates into y; duplicates add).</summary>
    void ScatterAddFlat(IBuffer x, IBuffer index, IBuffer y);

    /// <summary>Gather along an axis: y[o, m, i] = x[o, index[m], i].</summary>
    void GatherAxis(GatherParams p, IBuffer x, IBuffer index, IBuffer y);

    /// <summary>Adjoint of <see cref="GatherAxis"/>, accumulating: y[o, index[m], i] += x[o, m, i].</summary>
    void ScatterAddAxis(GatherParams p, IBuffer x, IBuffer index, IBuffer y);

    /// <summary>General (batched, transposable, strided) matrix multiply; see <see cref="GemmParams"/>.</summary>
    void Gemm(in GemmParams p, IBuffer a, IBuffer b, IBuffer c);

    /// <summary>y = act(conv(x, w) + bias); bias [K] optional. Depthwise convolutions take a specialised path.</summary>
    void Conv2d(in Conv2dParams p, IBuffer x, IBuffer w, IBuffer? bias, IBuffer y);

    /// <summary>
    /// y = act(conv(x, w) + bias + residual): the residual (optional, shaped like y, a different buffer than y) is
    /// added in the epilogue before the activation, so a convolution followed by a residual Add (and ReLU) is one
    /// pass.
    /// </summary>
    void Conv2d(in Conv2dParams p, IBuffer x, IBuffer w, IBuffer? bias, IBuffer y, IBuffer? residual);

    /// <summary>dx = ∂⟨dy, conv(x, w)⟩/∂x: the transposed convolution of dy with w (p.Activation ignored).</summary>
    void Conv2dBackwardInput(in Conv2dParams p, IBuffer dy, IBuffer w, IBuffer dx);

    /// <summary>dw = ∂⟨dy, conv(x, w)⟩/∂w: the correlation of x with dy (p.Activation ignored).</summary>
    void Conv2dBackwardWeight(in Conv2dParams p, IBuffer x, IBuffer dy, IBuffer dw);

    /// <summary>Max pooling; argIndex (Int32, optional) receives the flat index into x of each window's first maximum.
    /// Padding never wins (it counts as −∞).</summary>
    void MaxPool2d(in Pool2dParams p, IBuffer x, IBuffer y, IBuffer? argIndex);

    /// <summary>Average pooling (see <see cref="Pool2dParams.CountIncludePad"/>).</summary>
    void AvgPool2d(in Pool2dParams p, IBuffer x, IBuffer y);

    /// <summary>Adjoint of <see cref="AvgPool2d"/>: dx = Aᵀ dy (dx is written, not accumulated).</summary>
    void AvgPool2dBackward(in Pool2dParams p, IBuffer dy, IBuffer dx);

    /// <summary>Softmax along the axis.</summary>
    void Softmax(AxisParams p, IBuffer x, IBuffer y);

    /// <summary>Log-softmax along the axis.</summary>
    void LogSoftmax(AxisParams p, IBuffer x, IBuffer y);

    /// <summary>log Σ exp along the axis; y is [Outer, Inner].</summary>
    void LogSumExp(AxisParams p, IBuffer x, IBuffer y);

    /// <summary>Bilinear resize (OpenCV INTER_LINEAR, half-pixel centres, border replicate).</summary>
    void ResizeBilinear(ResizeParams p, IBuffer x, IBuffer y);

    /// <summary>Adjoint of <see cref="ResizeBilinear"/>: dx = Rᵀ dy (written, not accumulated).</summary>
    void ResizeBilinearBackward(ResizeParams p, IBuffer dy, IBuffer dx);
}
