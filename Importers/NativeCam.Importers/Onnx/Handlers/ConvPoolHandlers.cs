using NativeCam.Engine;

namespace NativeCam.Importers.Onnx.Handlers;

/// <summary>Convolution, pooling and the dense layers of classifiers (MatMul, Gemm).</summary>
internal static class ConvPoolHandlers
{
    public static void Register(RegisterOp add)
    {
        add("Conv", Conv);
        add("MaxPool", ctx => Pool(ctx, max: true));
        add("AveragePool", ctx => Pool(ctx, max: false));
        add("GlobalAveragePool", ctx => GlobalPool(ctx, x => x.GlobalAvgPool()));
        add("GlobalMaxPool", ctx => GlobalPool(ctx, x => x.Max(Enumerable.Range(2, x.Rank - 2).ToArray(), keepDims: true)));
        add("Gemm", Gemm);
        add("MatMul", MatMul);
    }

    private static string Dims(int[] s) => $"[{string.Join(", ", s)}]";

    /// <summary>GlobalAveragePool / GlobalMaxPool: over every axis from 2 on, kept as 1s.</summary>
    private static void GlobalPool(NodeContext ctx, Func<Tensor, Tensor> f)
    {
        ctx.ExpectInputs(1, 1);
        var s = ctx.Input(0).Shape;
        if (s.Length < 3) throw ctx.Fail($"input shape {Dims(s)} is not [N, C, spatial...]");
        if (s.Skip(2).Any(d => d == 0)) throw ctx.Fail($"input shape {Dims(s)} has an empty spatial dim");
        ctx.Emit([0], a => f(a[0]!));
    }

    private static void Rank4(NodeContext ctx, int i)
    {
        var s = ctx.Input(i).Shape;
        if (s.Length != 4) throw ctx.Unsupported($"only 2-D spatial inputs [N, C, H, W] are supported; input {i} has shape [{string.Join(", ", s)}]");
    }

    /// <summary>Geometry shared by Conv and pooling: kernel, strides, dilations and pads (with auto_pad).</summary>
    internal static (int KH, int KW, int SH, int SW, int DH, int DW, int Top, int Left, int Bottom, int Right) Geometry(
        NodeContext ctx, int[] inShape, int[]? kernelFromWeights)
    {
        var attr = ctx.Attributes;
        var k = attr.IntArray("kernel_shape") ?? kernelFromWeights ?? throw ctx.Fail("attribute 'kernel_shape' is required");
        if (kernelFromWeights is not null && !k.SequenceEqual(kernelFromWeights))
            throw ctx.Fail($"kernel_shape [{string.Join(", ", k)}] differs from the weights' [{string.Join(", ", kernelFromWeights)}]");
        if (k.Length != 2) throw ctx.Fail($"kernel_shape has rank {k.Length}; this importer supports 2-D kernels");
        var s = attr.IntArray("strides") ?? [1, 1];
        var d = attr.IntArray("dilations") ?? [1, 1];
        var p = attr.IntArray("pads");
        if (s.Length != 2) throw ctx.Fail($"strides has {s.Length} values for a 2-D kernel");
        if (d.Length != 2) throw ctx.Fail($"dilations has {d.Length} values for a 2-D kernel");
        if (k.Any(v => v <= 0)) throw ctx.Fail($"kernel_shape [{string.Join(", ", k)}] must be positive");
        if (s.Any(v => v <= 0)) throw ctx.Fail($"strides [{string.Join(", ", s)}] must be positive");
        if (d.Any(v => v <= 0)) throw ctx.Fail($"dilations [{string.Join(", ", d)}] must be positive");
        string autoPad = attr.String("auto_pad", "NOTSET");
        int[] pads;
        switch (autoPad)
        {
            case "NOTSET":
                pads = p ?? [0, 0, 0, 0];
                if (pads.Length != 4) throw ctx.Fail($"pads has {pads.Length} values; a 2-D kernel needs 4 (begins then ends)");
                if (pads.Any(v => v < 0)) throw ctx.Fail($"pads [{string.Join(", ", pads)}] must not be negative");
                break;
            case "VALID":
                pads = [0, 0, 0, 0];
                break;
            case "SAME_UPPER" or "SAME_LOWER":
                pads = new int[4];
                for (int i = 0; i < 2; i++)
                {
                    int input = inShape[2 + i], outSize = (input + s[i] - 1) / s[i];
                    int total = Math.Max(0, (outSize - 1) * s[i] + (k[i] - 1) * d[i] + 1 - input);
                    int small = total / 2, big = total - small;
                    (pads[i], pads[i + 2]) = autoPad == "SAME_UPPER" ? (small, big) : (big, small);
                }
                break;
            default:
                throw ctx.Fail($"auto_pad '{autoPad}' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
        }
        return (k[0], k[1], s[0], s[1], d[0], d[1], pads[0], pads[1], pads[2], pads[3]);
    }

    private static void Conv(NodeContext ctx)
    {
        ctx.ExpectInputs(2, 3);
        Rank4(ctx, 0);
        var x = ctx.Input(0).Shape;
        var w = ctx.Input(1).Shape;
        if (w.Length != 4) throw ctx.Fail($"weights have rank {w.Length}, the input rank 4");
        long group = ctx.Attributes.Int("group", 1);
        if (group <= 0) throw ctx.Fail($"group {group} must be positive");
        if (x[1] % group != 0 || w[0] % group != 0) throw ctx.Fail($"group {group} does not divide the input channels {x[1]} and output channels {w[0]}");
        if (w[1] * group != x[1]) throw ctx.Fail($"weights expect {w[1]}×{group} input channels, the input has {x[1]}");
        if (ctx.HasInput(2) && (ctx.Input(2).Shape.Length != 1 || ctx.Input(2).Shape[0] != w[0]))
            throw ctx.Fail($"bias shape [{string.Join(", ", ctx.Input(2).Shape)}] does not match {w[0]} output channels");
        var g = Geometry(ctx, x, [w[2], w[3]]);
        var options = new Conv2dOptions(g.SH, g.SW, g.Top, g.Left, g.Bottom, g.Right, g.DH, g.DW, (int)group);
        CheckOutput(ctx, x, w[0], g);
        ctx.Emit([0, 1, 2], a => a[0]!.Conv2d(a[1]!, a[2], options));
    }

    /// <summary>
    /// Checks, in 64-bit arithmetic and before anything runs, that the kernel fits the padded input and that the output
    /// [N, channels, OH, OW] stays within the element limit.
    /// </summary>
    private static void CheckOutput(NodeContext ctx, int[] x, int channels, (int KH, int KW, int SH, int SW, int DH, int DW, int Top, int Left, int Bottom, int Right) g)
    {
        long spanH = (long)g.DH * (g.KH - 1) + 1, spanW = (long)g.DW * (g.KW - 1) + 1;
        long paddedH = (long)x[2] + g.Top + g.Bottom, paddedW = (long)x[3] + g.Left + g.Right;
        if (paddedH < spanH || paddedW < spanW)
            throw ctx.Fail($"the kernel ({g.KH}×{g.KW}, dilation {g.DH}×{g.DW}) does not fit the input {x[2]}×{x[3]} padded to {paddedH}×{paddedW}");
        long oh = (paddedH - spanH) / g.SH + 1, ow = (paddedW - spanW) / g.SW + 1;
        ctx.CheckSize(checked((long)x[0] * channels * oh * ow));
    }

    private static void Pool(NodeContext ctx, bool max)
    {
        ctx.ExpectInputs(1, 1);
        if (ctx.Node.Output.Count > 1 && ctx.Node.Output[1].Length > 0)
            throw ctx.Unsupported("the Indices output of MaxPool is not supported");
        Rank4(ctx, 0);
        var x = ctx.Input(0).Shape;
        var g = Geometry(ctx, x, null);
        CheckOutput(ctx, x, x[1], g);
        bool ceil = ctx.Attributes.Int("ceil_mode", 0) != 0;
        bool includePad = ctx.Attributes.Int("count_include_pad", 0) != 0;
        // storage_order only concerns the Indices output, which is refused above
        var o = new Pool2dOptions(g.SH, g.SW, g.Top, g.Left, g.Bottom, g.Right, g.DH, g.DW, ceil, includePad);
        ctx.Emit([0], a => max ? a[0]!.MaxPool2d(g.KH, g.KW, o) : a[0]!.AvgPool2d(g.KH, g.KW, o));
    }

    private static void Gemm(NodeContext ctx)
    {
        ctx.ExpectInputs(2, 3);
        double alpha = ctx.Attributes.Float("alpha", 1f), beta = ctx.Attributes.Float("beta", 1f);
        bool ta = ctx.Attributes.Int("transA", 0) != 0, tb = ctx.Attributes.Int("transB", 0) != 0;
        var a = ctx.Input(0).Shape;
        var b = ctx.Input(1).Shape;
        if (a.Length != 2 || b.Length != 2) throw ctx.Fail($"Gemm needs 2-D A and B, got {Dims(a)} and {Dims(b)}");
        int m = ta ? a[1] : a[0], k = ta ? a[0] : a[1], kb = tb ? b[1] : b[0], n = tb ? b[0] : b[1];
        if (k != kb) throw ctx.Fail($"op(A) is [{m}, {k}] and op(B) [{kb}, {n}]: the inner dims differ");
        if (ctx.HasInput(2))
        {
            var c = ctx.Input(2).Shape;
            if (c.Length > 2 || !ElementwiseHandlers.BroadcastShape(ctx, c, [m, n]).AsSpan().SequenceEqual(new[] { m, n }))
                throw ctx.Fail($"C of shape {Dims(c)} does not broadcast to [{m}, {n}]");
        }
        ctx.Emit([0, 1, 2], t => Tensor.Gemm(t[0]!, t[1]!, t[2], alpha, beta, ta, tb));
    }

    /// <summary>MatMul with NumPy semantics: batched, batch dims broadcast, 1-D operands promoted then dropped.</summary>
    private static void MatMul(NodeContext ctx)
    {
        ctx.ExpectInputs(2, 2);
        var a = ctx.Input(0).Shape;
        var b = ctx.Input(1).Shape;
        if (a.Length == 0 || b.Length == 0) throw ctx.Fail($"MatMul operands must not be scalars, got {Dims(a)} and {Dims(b)}");
        int k = a[^1], kb = b.Length == 1 ? b[0] : b[^2];
        if (k != kb) throw ctx.Fail($"the inner dims of {Dims(a)} and {Dims(b)} differ ({k} vs {kb})");
        if (a.Length > 2 || b.Length > 2)
            ElementwiseHandlers.BroadcastShape(ctx, a.Length > 2 ? a[..^2] : [], b.Length > 2 ? b[..^2] : []);
        ctx.Emit([0, 1], t => t[0]!.MatMul(t[1]!));
    }
}
