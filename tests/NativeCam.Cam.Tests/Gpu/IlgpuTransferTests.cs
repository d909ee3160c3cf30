using NativeCam.Cam.Images;
using NativeCam.Engine;
using NativeCam.Importers;
using NativeCam.Importers.Onnx;
using NativeCam.Kernels.Gpu;

namespace NativeCam.Cam.Tests.Gpu;

/// <summary>
/// An explanation on the ILGPU backend moves only two large blocks across the host–device edge: the input going up
/// and the final maps (one download per method) coming back. A, g, H·A, the weights and the per-layer maps stay on
/// the device; what else crosses is small (logits and probabilities, the utility's one-hot mask, scalars).
/// </summary>
public class IlgpuTransferTests
{
    private const long Large = 16 * 1024;

    [Fact]
    public void OnlyTheInputUploadAndTheFinalMapDownloadsAreLarge()
    {
        var backend = IlgpuKernels.CreateCpu();
        var model = DefaultModel.Load(new OnnxImportOptions { Backend = backend });
        var photo = new ImageLoader().Load(RepoPaths.Repo(Path.Combine("Cam", "samples", "chelsea.png")));
        var (chw, _) = ImageNetPreprocessor.Preprocess(photo);
        var explainer = new Explainer(model);
        string[] methods = ["gradcam", "shapleycam", "layercam", "gradcam++", "xgradcam"];
        var options = new ExplainOptions { Methods = methods };
        explainer.Explain(Tensor.FromArray(chw, [1, 3, 224, 224], backend), options); // builds the kept-layer model once

        var log = new List<(bool Upload, long Bytes)>();
        backend.TransferObserver = (up, bytes) => { lock (log) log.Add((up, bytes)); };
        Explanation e;
        try
        {
            e = explainer.Explain(Tensor.FromArray(chw, [1, 3, 224, 224], backend), options);
        }
        finally { backend.TransferObserver = null; }

        // a final map is float64 on the device and comes down as float32 (cast there: half the bytes)
        long input = 3L * 224 * 224 * sizeof(float), map = 224L * 224 * sizeof(float);
        var large = log.Where(t => t.Bytes > Large).ToList();
        Assert.Equal([(true, input)], large.Where(t => t.Upload));
        Assert.Equal(Enumerable.Repeat((false, map), methods.Length), large.Where(t => !t.Upload));
        Assert.True(log.Count < 200, $"{log.Count} transfers in one explanation");
        Assert.Equal(methods.Length, e.Methods.Count);
        Assert.True(e.Methods.All(m => m.Maps[0].Max() > 0.99f), "the maps are min-max normalised");
    }
}
