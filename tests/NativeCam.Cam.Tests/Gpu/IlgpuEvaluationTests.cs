using NativeCam.Cam.Evaluation;
using NativeCam.Importers.Onnx;
using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;
using NativeCam.Kernels.Gpu;

namespace NativeCam.Cam.Tests.Gpu;

/// <summary>
/// The evaluation protocol on the ILGPU kernels: every tensor it makes (masked batches, coherency re-runs, ROAD
/// imputations) must live on the model's backend, and the scores must match the CPU backend's.
/// </summary>
public class IlgpuEvaluationTests
{
    private static ImageEvaluation EvaluateOn(IKernels backend, float[] input)
    {
        var model = OnnxModel.Load(RepoPaths.Fixture("resnet18.onnx"), new OnnxImportOptions { Backend = backend });
        var evaluator = new Evaluator(model, new EvaluationOptions
        {
            Methods = ["gradcam", "shapleycam"], Metrics = EvaluationMetrics.Adcc | EvaluationMetrics.Road | EvaluationMetrics.Deletion, CurveSteps = 3,
        });
        return evaluator.Evaluate("random", input);
    }

    [Fact]
    public void ScoresOnTheIlgpuCpuAcceleratorMatchTheCpuBackend()
    {
        var probe = OnnxModel.Load(RepoPaths.Fixture("resnet18.onnx"));
        int size = probe.InputShape[1] * probe.InputShape[2] * probe.InputShape[3];
        var random = new Random(7);
        var input = Enumerable.Range(0, size).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();

        var cpu = EvaluateOn(new CpuKernels(threads: 1), input);
        var gpu = EvaluateOn(IlgpuKernels.CreateCpu(), input);

        Assert.Equal(cpu.Rows.Count, gpu.Rows.Count);
        for (int i = 0; i < cpu.Rows.Count; i++)
        {
            ImageResult a = cpu.Rows[i], b = gpu.Rows[i];
            Assert.Equal(a.ClassIndex, b.ClassIndex);
            foreach (var (name, x, y) in new[] { ("Y", a.Y, b.Y), ("O", a.O, b.O), ("D", a.D, b.D), ("complexity", a.Complexity, b.Complexity),
                         ("coherency", a.Coherency!.Value, b.Coherency!.Value), ("ROAD", a.Road!.Combined, b.Road!.Combined) })
                Assert.True(Math.Abs(x - y) <= 1e-4 + 1e-3 * Math.Abs(x), $"{a.Method} {name}: CPU {x}, ILGPU {y}");
            for (int s = 0; s < a.DeletionCurve!.Length; s++)
                Assert.True(Math.Abs(a.DeletionCurve[s] - b.DeletionCurve![s]) <= 1e-4, $"{a.Method} deletion step {s}");
        }
    }
}
