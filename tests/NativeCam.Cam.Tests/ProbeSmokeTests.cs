using System.Diagnostics;
using NativeCam.Cam.Probe;
using NativeCam.Engine;
using NativeCam.Importers.Onnx;
using Xunit.Abstractions;

namespace NativeCam.Cam.Tests;

public class ProbeSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public void MobileNetHeadProbeMatchesGapFcClosedForm()
    {
        var model = OnnxModel.Load(TestData.FloatModel);
        Assert.Equal("627", LayerSelection.Auto(model));
        var x = Tensor.Uniform([1, 3, 224, 224], 5, -2, 2);
        var clock = Stopwatch.StartNew();
        var fwd = model.Run(x);
        output.WriteLine($"forward {clock.ElapsedMilliseconds} ms");
        clock.Restart();
        var r = new LayerProbe(model).Run(x, ["627"], Utility.Rest);
        output.WriteLine($"probe {clock.ElapsedMilliseconds} ms");
        var s = r.Layers[0];
        // GAP→FC head: g is spatially constant per channel, and with ReST H·A = −Jᵀ[(diag p − ppᵀ)(J·A)] is too
        var g = s.Gradients.ToArray();
        var ha = s.HessianTimesActivations!.ToArray();
        for (int c = 0; c < 1280; c++)
            for (int j = 1; j < 49; j++)
            {
                Assert.Equal(g[c * 49], g[c * 49 + j], 5);
                Assert.Equal(ha[c * 49], ha[c * 49 + j], 5);
            }
        Assert.True(ha.Max(Math.Abs) > 1e-6);
    }
}
