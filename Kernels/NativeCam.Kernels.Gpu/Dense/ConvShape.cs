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
        KernelChecks.Conv2d(p);
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
