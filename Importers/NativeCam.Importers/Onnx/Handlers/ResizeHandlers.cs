using NativeCam.Engine;

namespace NativeCam.Importers.Onnx.Handlers;

/// <summary>
/// Resize, modes nearest and linear (not cubic), with scales or sizes known at import. Coordinates follow ONNX
/// Runtime: computed in float32 from the float scale, then (linear) clamped to [0, in − 1], which is OpenCV's border
/// replicate. Linear half_pixel (and pytorch_half_pixel when no output dim is 1) with scale = out / in on the two
/// spatial axes of a 4-D input is exactly the Engine's INTER_LINEAR kernel; every other case gathers the two
/// neighbours per axis and blends them with constant weights. Nearest is one gather per resized axis.
/// </summary>
internal static class ResizeHandlers
{
    public static void Register(RegisterOp add) => add("Resize", Resize);

    private static void Resize(NodeContext ctx)
    {
        var x = ctx.Input(0).Shape;
        int rank = x.Length;
        var attr = ctx.Attributes;
        // attribute defaults: mode nearest, half_pixel, round_prefer_floor; opset 10 is asymmetric with
        // truncation (ceil when downsampling), like Upsample
        string mode = attr.String("mode", "nearest");
        string coord, nearest;
        double[]? scales = null;
        long[]? sizes = null;
        int[] axes = Enumerable.Range(0, rank).ToArray();
        if (ctx.Opset < 11)
        {
            ctx.ExpectInputs(2, 2);
            scales = ctx.Constant(1, "scales").AsDoubles();
            coord = "asymmetric";
            nearest = "opset10";
        }
        else
        {
            ctx.ExpectInputs(1, 4);
            coord = attr.String("coordinate_transformation_mode", "half_pixel");
            nearest = attr.String("nearest_mode", "round_prefer_floor");
            if (coord == "tf_crop_and_resize") throw ctx.Unsupported("coordinate_transformation_mode tf_crop_and_resize is not supported");
            if (ctx.HasInput(2) && ctx.Constant(2, "scales").Length > 0) scales = ctx.Constant(2, "scales").AsDoubles();
            if (ctx.HasInput(3) && ctx.Constant(3, "sizes").Length > 0) sizes = ctx.Ints(3, "sizes");
            if ((scales is null) == (sizes is null)) throw ctx.Fail("give exactly one of scales and sizes");
            if (ctx.Opset >= 18)
            {
                if (attr.Ints("axes") is { } ax) axes = LayoutHandlers.DistinctAxes(ctx, ax, rank);
                string policy = attr.String("keep_aspect_ratio_policy", "stretch");
                if (sizes is not null && policy != "stretch") throw ctx.Unsupported($"keep_aspect_ratio_policy '{policy}' is not supported");
            }
        }
        if (mode is not ("nearest" or "linear"))
            throw mode == "cubic" ? ctx.Unsupported("mode cubic is not supported") : ctx.Fail($"mode '{mode}' is not one of nearest, linear, cubic");
        if (coord is not ("half_pixel" or "pytorch_half_pixel" or "align_corners" or "asymmetric" or "tf_half_pixel_for_nn")
            && !(coord == "half_pixel_symmetric" && ctx.Opset >= 19))
            throw ctx.Fail($"coordinate_transformation_mode '{coord}' is not supported");
        if (nearest is not ("round_prefer_floor" or "round_prefer_ceil" or "floor" or "ceil" or "opset10"))
            throw ctx.Fail($"nearest_mode '{nearest}' is not one of round_prefer_floor, round_prefer_ceil, floor, ceil");

        var given = scales ?? sizes!.Select(v => (double)v).ToArray();
        if (given.Length != axes.Length) throw ctx.Fail($"{(scales is null ? "sizes" : "scales")} has {given.Length} values for {axes.Length} axes");
        var scale = Enumerable.Repeat(1f, rank).ToArray();
        var outShape = (int[])x.Clone();
        for (int i = 0; i < axes.Length; i++)
        {
            int a = axes[i];
            if (scales is not null)
            {
                float s = (float)scales[i];
                if (!(s > 0) || !float.IsFinite(s)) throw ctx.Fail($"scale {scales[i]} of axis {a} must be positive");
                double o = Math.Floor(s * (float)x[a]);
                if (o > ctx.Options.MaxTensorElements) throw ctx.Fail($"scale {s} makes axis {a} too long");
                (scale[a], outShape[a]) = (s, (int)o);
            }
            else
            {
                long o = sizes![i];
                if (o <= 0 || o > ctx.Options.MaxTensorElements) throw ctx.Fail($"size {o} of axis {a} must be positive");
                if (x[a] == 0) throw ctx.Fail($"cannot resize the empty axis {a}");
                (scale[a], outShape[a]) = ((float)o / x[a], (int)o);
            }
        }
        long n = 1;
        foreach (int d in outShape) { n = checked(n * d); ctx.CheckSize(n); }
        if (ctx.Opset >= 18 && attr.Int("antialias", 0) != 0 && mode == "linear" && scale.Any(s => s < 1))
            throw ctx.Unsupported("antialiased downsampling is not supported");
        var resized = Enumerable.Range(0, rank).Where(a => outShape[a] != x[a] || scale[a] != 1f).ToArray();
        if (resized.Any(a => x[a] == 0)) throw ctx.Fail("cannot resize an empty axis");

        if (mode == "nearest")
        {
            var plan = resized.Select(a => (a, Enumerable.Range(0, outShape[a])
                .Select(o => Math.Clamp(Nearest(Coord(coord, o, scale[a], x[a], outShape[a]), nearest, scale[a] < 1), 0, x[a] - 1)).ToArray())).ToArray();
            ctx.Emit([0], t =>
            {
                var y = t[0]!;
                foreach (var (a, index) in plan) y = y.Gather(a, index);
                return y;
            });
            return;
        }

        // linear: the Engine's INTER_LINEAR kernel where its coordinates are ONNX's
        bool kernel = rank == 4 && resized.All(a => a >= 2)
            && (coord == "half_pixel" || (coord == "pytorch_half_pixel" && outShape[2] > 1 && outShape[3] > 1))
            && resized.All(a => Math.Abs(scale[a] * (double)x[a] - outShape[a]) <= 1e-6 * outShape[a]);
        if (kernel)
        {
            int oh = outShape[2], ow = outShape[3];
            ctx.Emit([0], t => t[0]!.ResizeBilinear(oh, ow));
            return;
        }
        var taps = resized.Select(a =>
        {
            int m = outShape[a];
            var i0 = new int[m];
            var i1 = new int[m];
            var w = new double[m];
            for (int o = 0; o < m; o++)
            {
                float c = Math.Clamp(Coord(coord, o, scale[a], x[a], m), 0f, x[a] - 1);
                int lo = (int)MathF.Floor(c);
                i0[o] = lo;
                i1[o] = Math.Min(lo + 1, x[a] - 1);
                w[o] = c - lo;
            }
            var wShape = Enumerable.Repeat(1, rank).ToArray();
            wShape[a] = m;
            return (Axis: a, I0: i0, I1: i1, W: w, WShape: wShape);
        }).ToArray();
        ctx.Emit([0], t =>
        {
            var y = t[0]!;
            foreach (var tap in taps)
            {
                var w1 = Tensor.FromDoubles(tap.W, tap.WShape, y.DType, y.Backend);
                var w0 = Tensor.FromDoubles(tap.W.Select(v => 1 - v).ToArray(), tap.WShape, y.DType, y.Backend);
                y = y.Gather(tap.Axis, tap.I0) * w0 + y.Gather(tap.Axis, tap.I1) * w1;
            }
            return y;
        });
    }

    /// <summary>The input coordinate of output index <paramref name="o"/> (float32, as ONNX Runtime computes it).</summary>
    private static float Coord(string mode, int o, float scale, int inSize, int outSize) => mode switch
    {
        "half_pixel" => (o + 0.5f) / scale - 0.5f,
        "pytorch_half_pixel" => outSize > 1 ? (o + 0.5f) / scale - 0.5f : 0f,
        "align_corners" => outSize == 1 ? 0f : o * (float)(inSize - 1) / (outSize - 1),
        "tf_half_pixel_for_nn" => (o + 0.5f) / scale,
        "half_pixel_symmetric" => HalfPixelSymmetric(o, scale, inSize, outSize),
        _ => o / scale, // asymmetric
    };

    private static float HalfPixelSymmetric(int o, float scale, int inSize, int outSize)
    {
        float adjustment = outSize / (scale * inSize);
        float center = inSize / 2f;
        float offset = center * (1 - adjustment);
        return offset + (o + 0.5f) / scale - 0.5f;
    }

    /// <summary>The nearest input index to coordinate <paramref name="c"/> under ONNX's nearest_mode.</summary>
    private static int Nearest(float c, string mode, bool downsampling) => mode switch
    {
        "floor" => (int)MathF.Floor(c),
        "ceil" => (int)MathF.Ceiling(c),
        "round_prefer_ceil" => (int)MathF.Round(c, MidpointRounding.AwayFromZero),
        "opset10" => downsampling ? (int)MathF.Ceiling(c) : (int)c,
        _ => c == MathF.Floor(c) + 0.5f ? (int)MathF.Floor(c) : (int)MathF.Round(c, MidpointRounding.AwayFromZero), // round_prefer_floor
    };
}
