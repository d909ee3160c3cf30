using NativeCam.Cam.Images;
using NativeCam.Engine;
using NativeCam.Importers.Onnx;
using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;
using NativeCam.Kernels.Gpu;
using NativeCam.Importers;

namespace NativeCam.Cam.Tests.Gpu;

/// <summary>
/// The engine, the importer and the CAM pipeline run unchanged on the ILGPU kernels: ShapleyCAM on the embedded model
/// through ILGPU's CPU accelerator (the GPU code path) must match the SIMD CPU backend.
/// </summary>
public class IlgpuEndToEndTests
{
    private static Explanation ExplainOn(IKernels backend, float[] chw, string[] methods)
    {
        var model = DefaultModel.Load(new OnnxImportOptions { Backend = backend });
        var input = Tensor.FromArray(chw, [1, 3, 224, 224], backend);
        return new Explainer(model).Explain(input, new ExplainOptions { Methods = methods });
    }

    [Fact]
    public void ShapleyCamOnTheIlgpuCpuAcceleratorMatchesTheCpuBackend()
    {
        var photo = new ImageLoader().Load(RepoPaths.Repo(Path.Combine("Cam", "samples", "chelsea.png")));
        var (chw, _) = ImageNetPreprocessor.Preprocess(photo);
        string[] methods = ["shapleycam", "gradcam"];

        var cpu = ExplainOn(new CpuKernels(threads: 1), chw, methods);
        var gpu = ExplainOn(IlgpuKernels.CreateCpu(), chw, methods);

        Assert.Equal(cpu.Classes, gpu.Classes);
        for (int k = 0; k < cpu.Probabilities[0].Length; k++)
            Assert.True(Math.Abs(cpu.Probabilities[0][k] - gpu.Probabilities[0][k]) <= 1e-4, $"probability of class {k}");
        for (int m = 0; m < methods.Length; m++)
        {
            float[] a = cpu.Methods[m].Maps[0], b = gpu.Methods[m].Maps[0];
            Assert.Equal(a.Length, b.Length);
            double maxDiff = 0, spread = a.Max() - a.Min();
            for (int i = 0; i < a.Length; i++) maxDiff = Math.Max(maxDiff, Math.Abs(a[i] - b[i]));
            Assert.True(spread > 0.5, $"{methods[m]}: the CPU map is nearly constant ({spread}), so the comparison would prove little");
            Assert.True(maxDiff <= 1e-3, $"{methods[m]}: max |CPU − ILGPU| = {maxDiff}");
        }
    }
}
