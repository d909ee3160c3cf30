namespace NativeCam.Kernels.Gpu.Dense;

/// <summary>
/// The integers of a validated <see cref="Conv2dParams"/> as a kernel argument: x [N, C, H, W], w [K, CPG, KH, KW],
/// y [N, K, OH, OW]; output (oh, ow) reads input (oh·SH − PT + kh·DH, ow·SW − PL + kw·DW).
/// </summary>
internal struct ConvShape
{
    public int N, C, H, W, K, KH, KW, SH, SW, DH, DW, PT, PL, G, CPG, KPG, OH, OW;

    /// <summary>Kernel taps per channel, KH·KW.</summary>
    public readonly int Taps => KH * KW;
    /// <summary>Rows of one group's im2col matrix, CPG·KH·KW.</summary>
    public readonly int ColRows => CPG * KH * KW;
    /// <summary>Output pixels per plane.</summary>
    public readonly int OutPixels => OH * OW;

    /// <summary>Validates <paramref name="p"/> with the CPU backend's rules and messages.</summary>
    public static ConvShape Of(in Conv2dParams p)
    {
        if (p.N < 0 || p.C <= 0 || p.H <= 0 || p.W <= 0 || p.K <= 0 || p.KH <= 0 || p.KW <= 0)
            throw new ArgumentException($"conv2d: sizes must be positive ({p})");
        if (p.StrideH < 1 || p.StrideW < 1 || p.DilationH < 1 || p.DilationW < 1)
            throw new ArgumentException($"conv2d: strides and dilations must be ≥ 1 ({p})");
        if (p.PadTop < 0 || p.PadLeft < 0 || p.PadBottom < 0 || p.PadRight < 0)
            throw new ArgumentException($"conv2d: pads must be ≥ 0 ({p})");
        if (p.Groups < 1 || p.C % p.Groups != 0 || p.K % p.Groups != 0)
            throw new ArgumentException($"conv2d: groups {p.Groups} must divide C {p.C} and K {p.K}");
        // in 64 bits, so that huge dilations or pads cannot wrap around into a plausible size
        long spanH = (long)p.DilationH * (p.KH - 1) + 1, spanW = (long)p.DilationW * (p.KW - 1) + 1;
        long paddedH = (long)p.H + p.PadTop + p.PadBottom, paddedW = (long)p.W + p.PadLeft + p.PadRight;
        if (spanH > paddedH || spanW > paddedW || paddedH > int.MaxValue || paddedW > int.MaxValue)
            throw new ArgumentException($"conv2d: the dilated kernel ({spanH}×{spanW}) does not fit the padded input ({paddedH}×{paddedW})");
        if (p.OH <= 0 || p.OW <= 0) throw new ArgumentException($"conv2d: empty output ({p.OH}×{p.OW}) for {p}");
        var s = new ConvShape
        {
            N = p.N, C = p.C, H = p.H, W = p.W, K = p.K, KH = p.KH, KW = p.KW, SH = p.StrideH, SW = p.StrideW,
            DH = p.DilationH, DW = p.DilationW, PT = p.PadTop, PL = p.PadLeft, G = p.Groups,
            CPG = p.CPerGroup, KPG = p.KPerGroup, OH = p.OH, OW = p.OW,
        };
        if ((long)s.N * s.C * s.H * s.W > int.MaxValue || (long)s.N * s.K * s.OH * s.OW > int.MaxValue
            || (long)s.K * s.CPG * s.KH * s.KW > int.MaxValue)
            throw new ArgumentException($"conv2d: tensors over {int.MaxValue} elements are not supported on ILGPU ({p})");
        return s;
    }

    /// <summary>Elements of x, w and y.</summary>
    public readonly long XLength => (long)N * C * H * W;
    public readonly long WLength => (long)K * CPG * KH * KW;
    public readonly long YLength => (long)N * K * OH * OW;

    /// <summary>Depthwise: one input channel per group (the direct kernels take it).</summary>
    public readonly bool IsDepthwise => G == C && G > 1;
}
