using NativeCam.Cam.Probe;
using NativeCam.Engine;

namespace NativeCam.Cam.Methods;

/// <summary>
/// KPCA-CAM (Karmani et al. 2024): per image, the positions' activation vectors (hw×C, columns centred) projected
/// on their first kernel principal component (<see cref="KernelPca"/>; kernel from <see cref="CamFamilyParameters.Kernel"/>,
/// default sigmoid as in pytorch-grad-cam). Needs no gradients.
/// </summary>
public sealed class KpcaCam : CamMethod
{
    /// <inheritdoc/>
    public override string Name => "kpca-cam";

    /// <inheritdoc/>
    public override bool FromSignalsAlone => true;

    /// <inheritdoc/>
    public override bool NeedsGradients => false;

    /// <inheritdoc/>
    public override Tensor Compute(LayerSignals signals, CamContext context) => Project(A(signals), context.Settings.CamFamily.Kernel);

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals s, CamContext context) => A(s);

    /// <summary>The maps [N, h, w] of a field [N, C, h, w].</summary>
    public static Tensor Project(CamField a, KpcaKernel kernel)
    {
        var result = new double[a.N * a.Plane];
        for (int n = 0; n < a.N; n++)
        {
            var x = CenteredPositions(a, n);
            KernelPca.FirstComponent(x, a.Plane, a.C, kernel).CopyTo(result, n * a.Plane);
        }
        return Tensor.FromArray(result, [a.N, a.H, a.W]);
    }

    /// <summary>Image n as hw×C (row-major, one row per position), each channel's mean removed; non-finite values count as 0.</summary>
    public static double[] CenteredPositions(CamField a, int n)
    {
        int rows = a.Plane, cols = a.C;
        var m = new double[rows * cols];
        for (int k = 0; k < cols; k++)
        {
            var plane = a.PlaneOf(n, k);
            double mean = 0;
            for (int r = 0; r < rows; r++) mean += Finite(plane[r]);
            mean /= rows;
            for (int r = 0; r < rows; r++) m[r * cols + k] = Finite(plane[r]) - mean;
        }
        return m;
    }

    private static double Finite(double v) => double.IsFinite(v) ? v : 0;
}
