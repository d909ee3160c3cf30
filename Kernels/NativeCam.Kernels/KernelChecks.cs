namespace NativeCam.Kernels;

/// <summary>
/// The argument rules every backend enforces, with one wording: a call that one backend rejects, every backend
/// rejects with the same message. Sizes are checked in 64 bits so that huge pads or dilations cannot wrap around.
/// </summary>
public static class KernelChecks
{
    /// <summary>The dtype shared by float operands (null ones skipped); throws when they differ or are not float.</summary>
    public static DType FloatType(params IBuffer?[] buffers)
    {
        DType? t = null;
        foreach (var b in buffers)
        {
            if (b is null) continue;
            if (b.DType == DType.Int32) throw new ArgumentException("float kernel given an Int32 buffer");
            if (t is { } tt && tt != b.DType) throw new ArgumentException($"operands mix {tt} and {b.DType}");
            t = b.DType;
        }
        return t ?? throw new ArgumentException("no operands");
    }

    /// <summary>Checks a <see cref="IKernels.Gate"/> call; returns the dtype.</summary>
    public static DType Gate(IBuffer gate, IBuffer t, IBuffer result, double lo, double hi, IBuffer? t2 = null, IBuffer? result2 = null)
    {
        if (gate.Length != t.Length || t.Length != result.Length)
            throw new ArgumentException($"gate: the gate has {gate.Length} elements, t {t.Length}, the result {result.Length}");
        if ((t2 is null) != (result2 is null)) throw new ArgumentException("gate: a second operand needs a second result, and the reverse");
        if (t2 is not null && (t2.Length != t.Length || result2!.Length != t.Length))
            throw new ArgumentException($"gate: the second operand has {t2.Length} elements, its result {result2!.Length}, t {t.Length}");
        if (double.IsNaN(lo) || double.IsNaN(hi)) throw new ArgumentException("gate: a bound is NaN");
        return FloatType(gate, t, result, t2, result2);
    }

    /// <summary>Checks a <see cref="IKernels.ProductWithTangent"/> call (lengths; the strides' reach is the backend's
    /// check, as for <see cref="IKernels.Binary"/>); returns the dtype.</summary>
    public static DType ProductWithTangent(BroadcastParams p, IBuffer a, IBuffer b, IBuffer? da, IBuffer? db, IBuffer y, IBuffer dy)
    {
        if (y.Length != p.OutLength || dy.Length != p.OutLength)
            throw new ArgumentException($"product with tangent: outputs of {y.Length} and {dy.Length} elements, shape {Shapes.Format(p.OutShape)} needs {p.OutLength}");
        if (da is null && db is null) throw new ArgumentException("product with tangent: no tangent given");
        if (da is not null && da.Length != a.Length) throw new ArgumentException($"product with tangent: a has {a.Length} elements, its tangent {da.Length}");
        if (db is not null && db.Length != b.Length) throw new ArgumentException($"product with tangent: b has {b.Length} elements, its tangent {db.Length}");
        return FloatType(a, b, da, db, y, dy);
    }

    /// <summary>Checks a <see cref="IKernels.SiluDerivativePair"/> call; returns the dtype.</summary>
    public static DType SiluDerivativePair(int order, IBuffer x, IBuffer? a, IBuffer? dx, IBuffer? da, IBuffer y, IBuffer dy)
    {
        if (order < 0 || order >= SiluDerivativeOrder.Max)
            throw new ArgumentOutOfRangeException(nameof(order), order, $"silu derivative pair: the order must be 0…{SiluDerivativeOrder.Max - 1}");
        if ((order == 0) != (a is null) || (order == 0 && da is not null))
            throw new ArgumentException("silu derivative pair: order 0 takes no factor a nor its tangent; orders ≥ 1 take a");
        if (dx is null && da is null) throw new ArgumentException("silu derivative pair: no tangent given");
        foreach (var b in new[] { a, dx, da, y, dy })
            if (b is not null && b.Length != x.Length)
                throw new ArgumentException($"silu derivative pair: operands of {x.Length} and {b.Length} elements");
        return FloatType(x, a, dx, da, y, dy);
    }

    /// <summary>Checks GEMM sizes, leading dimensions and that every addressed element lies inside its buffer.</summary>
    public static void Gemm(in GemmParams p, long lenA, long lenB, long lenC)
    {
        if (p.M < 0 || p.N < 0 || p.K < 0 || p.Batch < 0)
            throw new ArgumentException($"gemm: negative size (M {p.M}, N {p.N}, K {p.K}, batch {p.Batch})");
        if (p.StrideA < 0 || p.StrideB < 0 || p.StrideC < 0 || p.OffsetA < 0 || p.OffsetB < 0 || p.OffsetC < 0)
            throw new ArgumentException("gemm: strides and offsets must be ≥ 0");
        int aRows = p.TransA ? p.K : p.M, aCols = p.TransA ? p.M : p.K;
        int bRows = p.TransB ? p.N : p.K, bCols = p.TransB ? p.K : p.N;
        Check("A", p.Batch, aRows, aCols, p.LdaOrDefault, p.OffsetA, p.StrideA, lenA);
        Check("B", p.Batch, bRows, bCols, p.LdbOrDefault, p.OffsetB, p.StrideB, lenB);
        Check("C", p.Batch, p.M, p.N, p.LdcOrDefault, p.OffsetC, p.StrideC, lenC);

        static void Check(string name, int batch, int rows, int cols, int ld, long offset, long stride, long length)
        {
            if (rows == 0 || cols == 0 || batch == 0) return;
            if (ld < cols) throw new ArgumentException($"gemm: leading dimension of {name} is {ld}, below its {cols} columns");
            long last = offset + (batch - 1) * stride + (long)(rows - 1) * ld + cols - 1;
            if (last >= length) throw new ArgumentException($"gemm: {name} addresses element {last} of a buffer of {length}");
        }
    }

    /// <summary>Checks a convolution's sizes, strides, dilations, pads and groups, and that the kernel fits the padded input.</summary>
    public static void Conv2d(in Conv2dParams p)
    {
        if (p.N < 0 || p.C <= 0 || p.H <= 0 || p.W <= 0 || p.K <= 0 || p.KH <= 0 || p.KW <= 0)
            throw new ArgumentException($"conv2d: sizes must be positive ({p})");
        if (p.StrideH < 1 || p.StrideW < 1 || p.DilationH < 1 || p.DilationW < 1)
            throw new ArgumentException($"conv2d: strides and dilations must be ≥ 1 ({p})");
        if (p.PadTop < 0 || p.PadLeft < 0 || p.PadBottom < 0 || p.PadRight < 0)
            throw new ArgumentException($"conv2d: pads must be ≥ 0 ({p})");
        if (p.Groups < 1 || p.C % p.Groups != 0 || p.K % p.Groups != 0)
            throw new ArgumentException($"conv2d: groups {p.Groups} must divide C {p.C} and K {p.K}");
        long spanH = (long)p.DilationH * (p.KH - 1) + 1, spanW = (long)p.DilationW * (p.KW - 1) + 1;
        long paddedH = (long)p.H + p.PadTop + p.PadBottom, paddedW = (long)p.W + p.PadLeft + p.PadRight;
        if (spanH > paddedH || spanW > paddedW || paddedH > int.MaxValue || paddedW > int.MaxValue)
            throw new ArgumentException($"conv2d: the dilated kernel ({spanH}×{spanW}) does not fit the padded input ({paddedH}×{paddedW})");
        if (p.OH <= 0 || p.OW <= 0) throw new ArgumentException($"conv2d: empty output ({p.OH}×{p.OW}) for {p}");
        if (!Enum.IsDefined(p.Activation)) throw new ArgumentException($"conv2d: unknown fused activation {(int)p.Activation}");
        if (p.Activation == FusedActivation.Clip && !(p.ActivationMin <= p.ActivationMax))
            throw new ArgumentException($"conv2d: clip range [{p.ActivationMin}, {p.ActivationMax}] is empty");
        if (p.Activation == FusedActivation.LeakyRelu && !double.IsFinite(p.ActivationAlpha))
            throw new ArgumentException($"conv2d: leaky-relu slope {p.ActivationAlpha} is not finite");
    }

    /// <summary>Checks the residual of a fused conv: as long as y and not y itself (the epilogue reads it after partial
    /// sums may have been written to y).</summary>
    public static void Residual(IBuffer? residual, IBuffer y, long yLength)
    {
        if (residual is null) return;
        if (ReferenceEquals(residual, y)) throw new ArgumentException("conv2d: the residual must be a different buffer than y");
        if (residual.Length < yLength) throw new ArgumentException($"conv2d: residual has {residual.Length} elements, needs {yLength}");
    }

    /// <summary>Checks a pooling call: parameters, window against the padded input, and the x and y lengths.</summary>
    public static void Pool2d(in Pool2dParams p, IBuffer x, IBuffer y, string what)
    {
        if (p.N < 0 || p.C < 0 || p.H < 1 || p.W < 1 || p.KH < 1 || p.KW < 1 || p.StrideH < 1 || p.StrideW < 1
            || p.DilationH < 1 || p.DilationW < 1 || p.PadTop < 0 || p.PadLeft < 0 || p.PadBottom < 0 || p.PadRight < 0)
            throw new ArgumentException($"{what}: invalid parameters {p}");
        long spanH = (long)p.DilationH * (p.KH - 1) + 1, spanW = (long)p.DilationW * (p.KW - 1) + 1;
        long paddedH = (long)p.H + p.PadTop + p.PadBottom, paddedW = (long)p.W + p.PadLeft + p.PadRight;
        if (spanH > paddedH || spanW > paddedW || paddedH > int.MaxValue || paddedW > int.MaxValue || p.OH < 1 || p.OW < 1)
            throw new ArgumentException($"{what}: the window does not fit the padded input ({p})");
        long xl = (long)p.N * p.C * p.H * p.W, yl = (long)p.N * p.C * p.OH * p.OW;
        if (x.Length != xl) throw new ArgumentException($"{what}: input has {x.Length} elements, expected {xl}");
        if (y.Length != yl) throw new ArgumentException($"{what}: output has {y.Length} elements, expected {yl}");
    }

    /// <summary>Checks reduction axes (sorted, distinct, in range), the kind, argIndex use and the input length.</summary>
    public static void Reduce(ReduceKind kind, int[] shape, int[] axes, IBuffer x, IBuffer? argIndex)
    {
        for (int i = 0; i < axes.Length; i++)
        {
            if (axes[i] < 0 || axes[i] >= shape.Length) throw new ArgumentException($"reduce axis {axes[i]} out of range for rank {shape.Length}");
            if (i > 0 && axes[i] <= axes[i - 1]) throw new ArgumentException("reduce axes must be sorted and distinct");
        }
        if (kind == ReduceKind.Sum && argIndex is not null) throw new ArgumentException("argIndex is only for Max/Min");
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown reduce kind");
        long inLen = Shapes.Product(shape);
        if (x.Length != inLen) throw new ArgumentException($"reduce input has {x.Length} elements, shape {Shapes.Format(shape)} needs {inLen}");
    }
}
