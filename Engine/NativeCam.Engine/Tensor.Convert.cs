using NativeCam.Engine.Ops;
using NativeCam.Kernels;

namespace NativeCam.Engine;

public sealed partial class Tensor
{
    /// <summary>This tensor in <paramref name="dtype"/> on the same backend (itself when the dtype is already that).</summary>
    public Tensor ToDType(DType dtype) => dtype == DType ? this : new CastOp(dtype).Apply(this);

    /// <summary>Bilinear resize with aligned corners (PyTorch's align_corners=True, UpsamplingBilinear2d):
    /// src = dst·(in − 1)/(out − 1), so corners map to corners.</summary>
    /// <returns>[N, C, outH, outW] from this [N, C, H, W].</returns>
    public Tensor ResizeBilinearAlignCorners(int outH, int outW)
    {
        ResizeBilinearOp.Params("ResizeBilinear", Shape, outH, outW, alignCorners: true);
        return new ResizeBilinearOp(outH, outW, alignCorners: true).Apply(this);
    }
}
