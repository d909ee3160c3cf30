using NativeCam.Engine;

namespace NativeCam.Cam.Probe;

/// <summary>How a target tensor is laid out.</summary>
public enum LayerLayout
{
    /// <summary>Detect: rank 4 with square trailing dims is NCHW, with square middle dims NHWC; rank 3 is tokens.</summary>
    Auto,
    /// <summary>[N, C, H, W] (convolutional networks).</summary>
    Nchw,
    /// <summary>[N, H, W, C] (Swin's final norm).</summary>
    Nhwc,
    /// <summary>[N, T, C] with T = H·W tokens, optionally after one leading class token (ViT).</summary>
    Tokens,
}

/// <summary>Reads a target tensor of any supported layout as [N, C, H, W].</summary>
public static class Layouts
{
    /// <summary>Parses a CLI name (nchw, nhwc, tokens, auto).</summary>
    public static LayerLayout Parse(string name) => name.ToLowerInvariant() switch
    {
        "auto" => LayerLayout.Auto,
        "nchw" => LayerLayout.Nchw,
        "nhwc" => LayerLayout.Nhwc,
        "tokens" => LayerLayout.Tokens,
        _ => throw new ArgumentException($"unknown layout '{name}' (auto, nchw, nhwc, tokens)"),
    };

    /// <summary>The layout of a tensor shape, detected where unambiguous.</summary>
    public static LayerLayout Resolve(LayerLayout requested, int[] shape, string layer)
    {
        if (requested != LayerLayout.Auto) return Check(requested, shape, layer);
        if (shape.Length == 3) return Check(LayerLayout.Tokens, shape, layer);
        if (shape.Length != 4) throw new ArgumentException($"layer '{layer}' has shape [{string.Join(", ", shape)}]; a target must be [N,C,H,W], [N,H,W,C] or [N,T,C]");
        bool nchw = shape[2] == shape[3], nhwc = shape[1] == shape[2];
        if (nchw && !nhwc) return LayerLayout.Nchw;
        if (nhwc && !nchw) return LayerLayout.Nhwc;
        if (nchw) return LayerLayout.Nchw; // [N, s, s, s]: ambiguous, channels-first is the ONNX convention
        return LayerLayout.Nchw; // non-square feature maps: channels-first as ONNX convolutions produce
    }

    private static LayerLayout Check(LayerLayout l, int[] shape, string layer)
    {
        int rank = l == LayerLayout.Tokens ? 3 : 4;
        if (shape.Length != rank) throw new ArgumentException($"layer '{layer}' has shape [{string.Join(", ", shape)}], which is not a {l} tensor (rank {rank})");
        if (l == LayerLayout.Tokens) _ = TokenGrid(shape[1], layer);
        return l;
    }

    /// <summary>(side, class-token count) for T tokens: T = s² or s² + 1.</summary>
    public static (int Side, int Skip) TokenGrid(int tokens, string layer)
    {
        int s = (int)Math.Round(Math.Sqrt(tokens));
        if (s * s == tokens) return (s, 0);
        s = (int)Math.Round(Math.Sqrt(tokens - 1));
        if (s * s == tokens - 1) return (s, 1);
        throw new ArgumentException($"layer '{layer}' has {tokens} tokens, neither a square grid nor a square grid plus a class token");
    }

    /// <summary>
    /// The tensor as [N, C, H, W]. Permutations and dropping the class token are linear, so gradients and
    /// Hessian-vector products transform exactly like the activation.
    /// </summary>
    public static Tensor ToNchw(Tensor t, LayerLayout layout, string layer)
    {
        switch (layout)
        {
            case LayerLayout.Nchw: return t;
            case LayerLayout.Nhwc: return t.Permute(0, 3, 1, 2);
            case LayerLayout.Tokens:
                {
                    var (side, skip) = TokenGrid(t.Shape[1], layer);
                    var grid = skip == 0 ? t : t.Slice([skip], [t.Shape[1]], [1]);
                    return grid.Reshape(t.Shape[0], side, side, t.Shape[2]).Permute(0, 3, 1, 2);
                }
            default: throw new ArgumentException($"layout of '{layer}' is unresolved");
        }
    }
    /// <summary>
    /// The inverse of <see cref="ToNchw"/> for a batch [B, C, H, W] of variants of one image: back to the model's
    /// layout; a dropped class token is taken from <paramref name="nativeImage"/> (that image's tensor in the model's
    /// layout, [1, …]).
    /// </summary>
    public static Tensor FromNchw(Tensor nchw, LayerLayout layout, Tensor nativeImage, string layer)
    {
        switch (layout)
        {
            case LayerLayout.Nchw: return nchw;
            case LayerLayout.Nhwc: return nchw.Permute(0, 2, 3, 1);
            case LayerLayout.Tokens:
                {
                    int b = nchw.Shape[0], c = nchw.Shape[1], t = nchw.Shape[2] * nchw.Shape[3];
                    var grid = nchw.Permute(0, 2, 3, 1).Reshape(b, t, c);
                    var (_, skip) = TokenGrid(nativeImage.Shape[1], layer);
                    if (skip == 0) return grid;
                    var token = nativeImage.Slice([0], [skip], [1]).BroadcastTo([b, skip, c]);
                    return Tensor.Concat([token, grid], 1);
                }
            default: throw new ArgumentException($"layout of '{layer}' is unresolved");
        }
    }
}
