using NativeCam.Cam.Methods;
using NativeCam.Cam.Probe;
using NativeCam.Engine;
using NativeCam.Kernels;

namespace NativeCam.Cam.Attribution;

/// <summary>
/// A method that attributes to the input pixels rather than weighting a layer's channels: it reads the input and the
/// model (through <see cref="CamContext"/>), not the target layer's signals, and gives its map at input resolution
/// (so post-processing's resize is the identity). The signed per-channel attributions [N, C, H, W]
/// (<see cref="Attribute"/>) are reduced to one plane per image by <see cref="Reduce"/>; the map is computed once per
/// context and reused for every target layer. Eigen-smooth, a projection of channel contributions, does not apply.
/// </summary>
public abstract class InputAttribution : CamMethod
{
    private CamContext? _context;
    private Tensor? _map;

    /// <inheritdoc/>
    public override bool NeedsGradients => false;

    /// <summary>How channels are reduced to a plane (see <see cref="Reduce"/>).</summary>
    public abstract ChannelReduction Reduction { get; }

    /// <summary>The per-channel attributions [N·C·H·W] of every image of the context's input (C may be 1 for a
    /// method that attributes whole pixels).</summary>
    public abstract double[] Attribute(CamContext context);

    /// <inheritdoc/>
    public override Tensor Compute(LayerSignals signals, CamContext context)
    {
        if (ReferenceEquals(context, _context) && _map is not null) return _map;
        var shape = context.Input.Shape;
        int n = shape[0], px = shape[2] * shape[3];
        var attributions = Attribute(context);
        var map = Reduce(attributions, n, attributions.Length / (n * px), px, Reduction);
        _map = Tensor.FromDoubles(map, [n, shape[2], shape[3]], DType.Float64);
        _context = context;
        return _map;
    }

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals signals, CamContext context)
    {
        var map = Compute(signals, context);
        return new CamField(map.ToArray(), map.Shape[0], 1, map.Shape[1], map.Shape[2]);
    }

    /// <summary>
    /// One plane per image: <see cref="ChannelReduction.SumOfAbsolute"/> Σ_c |a_c| (gradient magnitudes) or
    /// <see cref="ChannelReduction.AbsoluteOfSum"/> |Σ_c a_c| (signed contributions, as Captum's image
    /// visualisation with sign "absolute_value" shows them): both ≥ 0, so post-processing's ReLU keeps every pixel
    /// and its min-max scales by the largest magnitude; or <see cref="ChannelReduction.Sum"/> Σ_c a_c (signed, for
    /// perturbation scores: the ReLU then keeps the evidence for the class, as with a CAM).
    /// </summary>
    public static double[] Reduce(double[] attributions, int n, int channels, int pixels, ChannelReduction reduction)
    {
        var map = new double[n * pixels];
        for (int i = 0; i < n; i++)
            for (int q = 0; q < pixels; q++)
            {
                double s = 0;
                for (int c = 0; c < channels; c++)
                {
                    double a = attributions[(i * channels + c) * pixels + q];
                    s += reduction == ChannelReduction.SumOfAbsolute ? Math.Abs(a) : a;
                }
                map[i * pixels + q] = reduction == ChannelReduction.Sum ? s : Math.Abs(s);
            }
        return map;
    }

    /// <summary>Image n of the context's input as C·H·W doubles.</summary>
    protected static double[] ImageOf(CamContext context, int n) => context.Input.Slice([n], [n + 1], [0]).ToArray();
}

/// <summary>How per-channel attributions become one plane.</summary>
public enum ChannelReduction
{
    /// <summary>Σ_c |a_c|.</summary>
    SumOfAbsolute,

    /// <summary>|Σ_c a_c|.</summary>
    AbsoluteOfSum,

    /// <summary>Σ_c a_c (signed).</summary>
    Sum,
}
