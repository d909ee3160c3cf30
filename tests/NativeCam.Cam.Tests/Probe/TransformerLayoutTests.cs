using NativeCam.Cam.Probe;
using NativeCam.Engine;
using NativeCam.Importers.Onnx;
using NativeCam.Kernels;

namespace NativeCam.Cam.Tests.Probe;

/// <summary>
/// Transformer targets: Swin-T's final norm ([N, H, W, C]) and a ViT block ([N, 1 + H·W, C]) are read as
/// [N, C, H, W]; g and H·A transform like A, checked against finite differences of the head in float64.
/// </summary>
public class TransformerLayoutTests
{
    [Theory]
    [InlineData("swin_t.onnx", "/norm/LayerNormalization_output_0", 224, LayerLayout.Nhwc)]
    // the input of ViT's last block: its grid tokens reach the class token through that block's attention (at the
    // last block's output they no longer do, and g vanishes on the grid)
    [InlineData("vit_b_16.onnx", "/encoder/layers/encoder_layer_0/Add_1_output_0", 112, LayerLayout.Tokens)]
    public void SignalsAtTransformerTargetsMatchFiniteDifferences(string file, string layer, int size, LayerLayout expected)
    {
        var model = OnnxModel.Load(RepoPaths.Fixture(file), new OnnxImportOptions { DType = DType.Float64 });
        var x = Tensor.Uniform([1, 3, size, size], 3, -1, 1, DType.Float64);
        var result = new LayerProbe(model).Run(x, [layer], Utility.Rest);
        var s = result.Layers[0];
        Assert.Equal(expected, s.Layout);
        Assert.Equal(4, s.Activations.Rank);
        Assert.Equal(s.Activations.Shape, s.Gradients.Shape);

        var native = s.NativeActivations!;
        var a = native.ToArray();
        var d = new Derivatives(model, layer, s.SideInputs!, result.Classes, "rest");
        var g = s.Gradients.ToArray();
        var ha = s.HessianTimesActivations!.ToArray();
        int channels = native.Shape[^1];
        for (int seed = 1; seed <= 2; seed++)
        {
            var v = Derivatives.Random(a.Length, seed);
            if (expected == LayerLayout.Tokens) Array.Clear(v, 0, channels); // the class token is not on the map
            var vNchw = Layouts.ToNchw(Tensor.FromArray(v, native.Shape), expected, layer).ToArray();

            double gv = Derivatives.Dot(vNchw, g), fd = d.Directional(a, native.Shape, v, 1e-5);
            Assert.True(Math.Abs(gv - fd) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"vᵀg = {gv}, finite difference {fd}");

            double vha = Derivatives.Dot(vNchw, ha), fd2 = d.Second(a, native.Shape, v, a, 1e-4);
            Assert.True(Math.Abs(vha - fd2) <= 1e-4 * Math.Max(1, Math.Abs(fd2)), $"vᵀ(H·A) = {vha}, finite difference {fd2}");
        }
        Assert.True(g.Max(Math.Abs) > 1e-6, "g should not vanish on the map");
        Assert.True(ha.Max(Math.Abs) > 1e-6, "H·A should not vanish through LayerNorm/softmax heads with ReST");
    }
}
