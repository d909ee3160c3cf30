namespace NativeCam.Kernels.Cpu.Conv;

/// <summary>The integers of a <see cref="Conv2dParams"/> with the derived sizes, validated.</summary>
internal readonly struct ConvGeometry
{
    public readonly int N, C, H, W, K, KH, KW, SH, SW, DH, DW, PT, PL, PB, PR, G, CPG, KPG, OH, OW;

    public ConvGeometry(in Conv2dParams p)
    {
        KernelChecks.Conv2d(p);
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
