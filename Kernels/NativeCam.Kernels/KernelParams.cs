namespace NativeCam.Kernels;

/// <summary>Elementwise unary functions. <c>Alpha</c>/<c>Beta</c> are the parameters named per member.</summary>
public enum UnaryKind
{
    Identity, Neg, Exp, Log, Sqrt, Rsqrt, Reciprocal, Square, Abs, Sign,
    Relu,
    /// <summary>max(alpha·x, x) for alpha ≤ 1: alpha·x where x &lt; 0, else x.</summary>
    LeakyRelu,
    /// <summary>min(max(x, alpha), beta).</summary>
    Clip,
    Sigmoid, Tanh, Silu, Erf,
    /// <summary>x·Φ(x) with the exact (erf) Gaussian CDF.</summary>
    Gelu,
    /// <summary>0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))).</summary>
    GeluTanh,
    /// <summary>max(0, min(1, alpha·x + beta)).</summary>
    HardSigmoid,
    /// <summary>x·max(0, min(1, x/6 + 1/2)).</summary>
    HardSwish,
    /// <summary>x^alpha.</summary>
    PowScalar,
    /// <summary>alpha·x + beta.</summary>
    Affine,
    /// <summary>1 where alpha &lt; x &lt; beta, else 0 (the derivative mask of Clip/ReLU; use ±∞ for open ends).</summary>
    InRange,
    /// <summary>1 where x &gt; alpha, else 0.</summary>
    GreaterScalar,
    /// <summary>silu⁽ᵏ⁾(x), the k-th derivative of x·σ(x), of order k = alpha ∈ {1, 2, 3, 4} (the building block of
    /// SiLU's derivative rules; see <see cref="SiluDerivativeOrder"/>).</summary>
    SiluDerivative,
}

/// <summary>Elementwise binary functions with broadcasting.</summary>
public enum BinaryKind
{
    Add, Sub, Mul, Div, Pow, Max, Min,
    /// <summary>1 where a &gt; b else 0.</summary>
    Greater,
    /// <summary>1 where a &lt; b else 0.</summary>
    Less,
    /// <summary>1 where a == b else 0.</summary>
    Equal,
}

/// <summary>Reductions.</summary>
public enum ReduceKind { Sum, Max, Min }

/// <summary>Activation fused into a convolution's epilogue.</summary>
public enum FusedActivation
{
    None,
    Relu,
    /// <summary>Clip to [ActivationMin, ActivationMax] (ReLU6, or a quantized output's range).</summary>
    Clip,
    /// <summary>v &lt; 0 ? ActivationAlpha·v : v (as <see cref="UnaryKind.LeakyRelu"/>).</summary>
    LeakyRelu,
    /// <summary>v·max(0, min(1, v/6 + 1/2)) (as <see cref="UnaryKind.HardSwish"/>).</summary>
    HardSwish,
    /// <summary>v·σ(v) = v / (1 + e^(−v)) (as <see cref="UnaryKind.Silu"/>).</summary>
    Silu,
}

/// <summary>
/// Broadcasting of two (or three) operands to an output shape. Strides are in elements, 0 on broadcast axes;
/// all arrays have the output's rank.
/// </summary>
public sealed record BroadcastParams(int[] OutShape, int[] StridesA, int[] StridesB, int[]? StridesC = null)
{
    /// <summary>Element count of the output.</summary>
    public long OutLength => Shapes.Product(OutShape);
}

/// <summary>
/// A strided copy: for every index i of <c>Shape</c>, dst[DstOffset + Σ i·DstStrides] = src[SrcOffset + Σ i·SrcStrides].
/// Covers transpose, slice (with steps, negative ones included), concat, pad, split and broadcast-expand.
/// </summary>
public sealed record StridedCopyParams(int[] Shape, long SrcOffset, long[] SrcStrides, long DstOffset, long[] DstStrides);

/// <summary>
/// C[b] = alpha·op(A[b])·op(B[b]) + beta·C[b] for b in [0, Batch), op = transpose when TransA/TransB.
/// op(A) is M×K, op(B) is K×N, C is M×N; row-major with leading dimensions Lda/Ldb/Ldc and batch strides in elements.
/// </summary>
public readonly record struct GemmParams(
    int M, int N, int K,
    bool TransA = false, bool TransB = false,
    int Lda = 0, int Ldb = 0, int Ldc = 0,
    double Alpha = 1, double Beta = 0,
    int Batch = 1, long StrideA = 0, long StrideB = 0, long StrideC = 0,
    long OffsetA = 0, long OffsetB = 0, long OffsetC = 0)
{
    /// <summary>Leading dimension of A as stored (defaults to a packed row-major matrix).</summary>
    public int LdaOrDefault => Lda != 0 ? Lda : (TransA ? M : K);
    /// <summary>Leading dimension of B as stored.</summary>
    public int LdbOrDefault => Ldb != 0 ? Ldb : (TransB ? K : N);
    /// <summary>Leading dimension of C.</summary>
    public int LdcOrDefault => Ldc != 0 ? Ldc : N;
}

/// <summary>
/// A 2-D convolution, NCHW input [N, C, H, W], weights [K, C/Groups, KH, KW], output [N, K, OH, OW].
/// Pads are asymmetric (top, left, bottom, right). The output size follows from the rest. The epilogue applies
/// <see cref="Activation"/> (Clip uses ActivationMin/Max, LeakyRelu ActivationAlpha) after bias and residual.
/// </summary>
public readonly record struct Conv2dParams(
    int N, int C, int H, int W, int K, int KH, int KW,
    int StrideH = 1, int StrideW = 1, int DilationH = 1, int DilationW = 1,
    int PadTop = 0, int PadLeft = 0, int PadBottom = 0, int PadRight = 0, int Groups = 1,
    FusedActivation Activation = FusedActivation.None, double ActivationMin = 0, double ActivationMax = 6,
    double ActivationAlpha = 0.01)
{
    /// <summary>Output height.</summary>
    public int OH => (H + PadTop + PadBottom - DilationH * (KH - 1) - 1) / StrideH + 1;
    /// <summary>Output width.</summary>
    public int OW => (W + PadLeft + PadRight - DilationW * (KW - 1) - 1) / StrideW + 1;
    /// <summary>Input channels per group.</summary>
    public int CPerGroup => C / Groups;
    /// <summary>Output channels per group.</summary>
    public int KPerGroup => K / Groups;
    /// <summary>True for depthwise convolution (one input channel per group).</summary>
    public bool IsDepthwise => Groups == C && Groups > 1 && K % C == 0;
    /// <summary>Multiply-add count of the forward pass.</summary>
    public double Flops => 2.0 * N * K * OH * OW * CPerGroup * KH * KW;
}

/// <summary>Kind of 2-D pooling.</summary>
public enum PoolKind { Max, Average }

/// <summary>
/// 2-D pooling over [N, C, H, W]. Output size uses floor or, with CeilMode, ceil (a window must start inside the
/// input or left padding). Average pooling divides by the full window when CountIncludePad, else by the number of
/// input elements inside the window.
/// </summary>
public readonly record struct Pool2dParams(
    int N, int C, int H, int W, int KH, int KW,
    int StrideH = 1, int StrideW = 1, int DilationH = 1, int DilationW = 1,
    int PadTop = 0, int PadLeft = 0, int PadBottom = 0, int PadRight = 0,
    bool CeilMode = false, bool CountIncludePad = false)
{
    /// <summary>Output height.</summary>
    public int OH => OutSize(H, KH, StrideH, DilationH, PadTop, PadBottom);
    /// <summary>Output width.</summary>
    public int OW => OutSize(W, KW, StrideW, DilationW, PadLeft, PadRight);

    private int OutSize(int input, int k, int s, int d, int p0, int p1)
    {
        int span = input + p0 + p1 - d * (k - 1) - 1;
        int o = CeilMode ? (span + s - 1) / s + 1 : span / s + 1;
        // ceil mode: the last window must start inside the input or the left padding
        if (CeilMode && (o - 1) * s >= input + p0) o--;
        return o;
    }
}

/// <summary>
/// Softmax-family over one axis of a tensor viewed as [Outer, Axis, Inner].
/// </summary>
public readonly record struct AxisParams(int Outer, int Axis, int Inner);

/// <summary>Bilinear resize of [Planes, InH, InW] to [Planes, OutH, OutW] with OpenCV INTER_LINEAR semantics:
/// half-pixel centres, src = (dst + 0.5)·(in/out) − 0.5, clamped to the border (replicate). With
/// <paramref name="AlignCorners"/> (PyTorch's align_corners=True, UpsamplingBilinear2d): src = dst·(in − 1)/(out − 1)
/// (0 when out = 1), so corners map to corners.</summary>
public readonly record struct ResizeParams(int Planes, int InH, int InW, int OutH, int OutW, bool AlignCorners = false);

/// <summary>Gather along one axis of a tensor viewed as [Outer, Axis, Inner]: out[o, m, i] = x[o, idx[m], i].</summary>
public readonly record struct GatherParams(int Outer, int Axis, int Inner, int Count);
