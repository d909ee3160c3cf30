namespace NativeCam.Kernels.Cpu.Conv;

/// <summary>The integers of a <see cref="Conv2dParams"/> with the derived sizes, validated.</summary>
internal readonly struct ConvGeometry
{
    public readonly int N, C, H, W, K, KH, KW, SH, SW, DH, DW, PT, PL, PB, PR, G, CPG, KPG, OH, OW;

    public ConvGeometry(in Conv2dParams p)
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
        N = p.N; C = p.C; H = p.H; W = p.W; K = p.K; KH = p.KH; KW = p.KW;
        SH = p.StrideH; SW = p.StrideW; DH = p.DilationH; DW = p.DilationW;
        PT = p.PadTop; PL = p.PadLeft; PB = p.PadBottom; PR = p.PadRight;
        G = p.Groups; CPG = p.CPerGroup; KPG = p.KPerGroup; OH = p.OH; OW = p.OW;
    }

    /// <summary>Elements of x, w and y.</summary>
    public long XLength => (long)N * C * H * W;
    public long WLength => (long)K * CPG * KH * KW;
    public long YLength => (long)N * K * OH * OW;

    /// <summary>Rows of the im2col matrix of one group: CPG·KH·KW.</summary>
    public int ColRows => CPG * KH * KW;

    /// <summary>Output pixels per image.</summary>
    public int OutPixels => OH * OW;

    /// <summary>A 1×1, stride-1, unpadded convolution: the im2col matrix is the image itself.</summary>
    public bool IsPointwise => KH == 1 && KW == 1 && SH == 1 && SW == 1 && PT == 0 && PL == 0 && PB == 0 && PR == 0;

    /// <summary>Depthwise: one input channel per group.</summary>
    public bool IsDepthwise => G == C && G > 1;
}
