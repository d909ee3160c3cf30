using NativeCam.Cam.PostProcessing;
using NativeCam.Cam.Probe;

namespace NativeCam.Cam.Tests.Methods;

/// <summary>The identities of a GAP→FC head (shapleycam.md §1, §6) on MobileNetV2 at '627'.</summary>
public class IdentityTests(MobileNetFixture f) : IClassFixture<MobileNetFixture>
{
    private float[] Final(string method, ProbeResult r, Utility u) =>
        CamPostProcessor.Finalize([NativeCam.Engine.Tensor.FromArray(f.Raw(method, r, u), [1, 7, 7])], 224, 224)[0];

    private static double MaxDiff(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();

    [Fact]
    public void GradCamEqualsHiResCamEqualsXGradCamAfterPostProcessing()
    {
        var grad = Final("gradcam", f.Rest, Utility.Rest);
        Assert.True(grad.Max() > 0.99f);
        Assert.True(MaxDiff(grad, Final("hirescam", f.Rest, Utility.Rest)) < 1e-6);
        Assert.True(MaxDiff(grad, Final("xgradcam", f.Rest, Utility.Rest)) < 1e-5);
    }

    [Fact]
    public void ShapleyCamEqualsShapleyCamH()
    {
        var mean = f.Raw("shapleycam", f.Rest, Utility.Rest);
        var elem = f.Raw("shapleycam-h", f.Rest, Utility.Rest);
        Assert.True(Reference.RelErr(elem, mean) < 1e-6);
    }

    [Fact]
    public void WithTheLogitHvpIsZeroAndShapleyCamIsGradCamExactly()
    {
        Assert.All(f.Logit.Layers[0].HessianTimesActivations!.ToArray(), v => Assert.Equal(0.0, v));
        Assert.Equal(f.Raw("gradcam", f.Logit, Utility.Logit), f.Raw("shapleycam", f.Logit, Utility.Logit));
    }

    [Fact]
    public void WithRestShapleyCamDiffersFromGradCam()
    {
        Assert.True(f.Rest.Layers[0].HessianTimesActivations!.ToArray().Max(Math.Abs) > 1e-6);
        var grad = Final("gradcam", f.Rest, Utility.Rest);
        var shap = Final("shapleycam", f.Rest, Utility.Rest);
        Assert.True(MaxDiff(grad, shap) > 1e-3, $"max difference {MaxDiff(grad, shap):g3}");
    }
}
