using NativeCam.Cam.Probe;
using NativeCam.Engine;
using NativeCam.Engine.Graph;
using NativeCam.Importers.Onnx;

namespace NativeCam.Cam.Tests.Robustness;

/// <summary>
/// The thread-safety promise: one loaded model and one <see cref="Explainer"/> shared by threads give bitwise the
/// results of sequential runs, and the per-batch-size imports are made once even when threads first need them at
/// the same moment.
/// </summary>
public class ConcurrencyTests
{
    private static readonly Model Model = OnnxModel.Load(RepoPaths.Fixture("resnet18.onnx"));

    private static Tensor Batch(int seed, int n) => Tensor.Uniform([n, .. Model.InputShape[1..]], seed, -2, 2);

    [Fact]
    public void EightThreadsWithMixedBatchSizesMatchSequentialResultsBitwise()
    {
        int[] sizes = [1, 3, 2, 4];
        var jobs = Enumerable.Range(0, 8).SelectMany(t => Enumerable.Range(0, 3).Select(r => (Thread: t, Seed: 100 * t + r, N: sizes[(t + r) % sizes.Length]))).ToList();
        var options = new ExplainOptions { Methods = ["gradcam", "shapleycam", "layercam"] };

        var sequential = new Explainer(Model);
        var expected = jobs.ToDictionary(j => j.Seed, j => sequential.Explain(Batch(j.Seed, j.N), options));

        var shared = new Explainer(Model); // fresh: its batch-size cache is filled concurrently
        var results = new System.Collections.Concurrent.ConcurrentDictionary<int, Explanation>();
        using var start = new Barrier(8);
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            foreach (var j in jobs.Where(j => j.Thread == t)) results[j.Seed] = shared.Explain(Batch(j.Seed, j.N), options);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(jobs.Count, results.Count);
        foreach (var j in jobs)
        {
            var (a, b) = (expected[j.Seed], results[j.Seed]);
            Assert.Equal(a.Classes, b.Classes);
            for (int i = 0; i < j.N; i++) Assert.Equal(a.Probabilities[i], b.Probabilities[i]);
            for (int m = 0; m < a.Methods.Count; m++)
                for (int i = 0; i < j.N; i++) Assert.Equal(a.Methods[m].Maps[i], b.Methods[m].Maps[i]);
        }
    }

    [Fact]
    public void BatchImportsAreMadeOnceUnderConcurrentFirstUse()
    {
        var explainer = new Explainer(Model);
        var probe = new LayerProbe(Model);
        var fromExplainer = new Model[8];
        var fromProbe = new Model[8];
        using var start = new Barrier(8);
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            fromExplainer[t] = explainer.ForBatch(5);
            fromProbe[t] = probe.ForBatch(6);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Single(fromExplainer.Distinct());
        Assert.Single(fromProbe.Distinct());
        Assert.Equal([5, .. Model.InputShape[1..]], fromExplainer[0].InputShape);
        Assert.Equal([6, .. Model.InputShape[1..]], fromProbe[0].InputShape);
    }
}
