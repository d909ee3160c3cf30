using NativeCam.Cam.Probe;
using NativeCam.Cam.Smoothing;
using NativeCam.Engine;

namespace NativeCam.Cam.Methods;

/// <summary>
/// Seg-Eigen-CAM (Chung and Ying 2025), as pytorch-grad-cam computes it: the first-principal-component projection
/// (<see cref="EigenProjection"/>) of g⊙A, with the sign corrected per image (Eq. 13): the map is negated when
/// |min| &gt; |max|, so the salient regions come out positive.
/// </summary>
public sealed class SegEigenCam : CamMethod
{
    /// <inheritdoc/>
    public override string Name => "segeigencam";

    /// <inheritdoc/>
    public override bool FromSignalsAlone => true;

    /// <inheritdoc/>
    public override Tensor Compute(LayerSignals signals, CamContext context)
    {
        var p = EigenProjection.Project(Contributions(signals, context));
        return Tensor.FromArray(SignCorrected(p.ToArray(), p.Shape[0]), p.Shape);
    }

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals s, CamContext context) => G(s).Zip(A(s), (g, a) => g * a);

    /// <summary>Each of the <paramref name="images"/> equal slices negated where |min| &gt; |max|.</summary>
    public static double[] SignCorrected(double[] maps, int images)
    {
        var r = (double[])maps.Clone();
        int plane = maps.Length / images;
        for (int n = 0; n < images; n++)
        {
            var m = r.AsSpan(n * plane, plane);
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            foreach (double v in m) { min = Math.Min(min, v); max = Math.Max(max, v); }
            if (Math.Abs(min) > Math.Abs(max))
                for (int i = 0; i < m.Length; i++) m[i] = -m[i];
        }
        return r;
    }
}
