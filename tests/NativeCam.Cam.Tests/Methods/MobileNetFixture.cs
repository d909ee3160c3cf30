using NativeCam.Cam.Methods;
using NativeCam.Cam.Probe;
using NativeCam.Engine;
using NativeCam.Importers.Onnx;
using NativeCam.Engine.Graph;

namespace NativeCam.Cam.Tests.Methods;

/// <summary>MobileNetV2 (float) imported once, a seeded input, and the probe at '627' for ReST and the logit.</summary>
public sealed class MobileNetFixture
{
    public const string Layer = "627";

    public MobileNetFixture()
    {
        Model = OnnxModel.Load(TestData.FloatModel);
        Input = Tensor.Uniform([1, 3, 224, 224], 7, -2, 2);
        Probe = new LayerProbe(Model);
        Rest = Probe.Run(Input, [Layer], Utility.Rest);
        Logit = Probe.Run(Input, [Layer], Utility.Logit);
        Explainer = new Explainer(Model);
        // an earlier rank-4 feature map: the last one at 14×14
        Early = LayerSelection.Candidates(Model).Last(c => c.Shape.Length == 4 && c.Shape[2] == 14).Name;
    }

    public Model Model { get; }
    public Tensor Input { get; }
    public LayerProbe Probe { get; }
    public ProbeResult Rest { get; }
    public ProbeResult Logit { get; }
    public Explainer Explainer { get; }
    public string Early { get; }

    public CamContext Context(ProbeResult r, Utility u, int batchSize = 32, bool eigenSmooth = false) =>
        new(Probe, Input, r, u, Seed: 3, BatchSize: batchSize, EigenSmooth: eigenSmooth);

    /// <summary>The raw map [h·w] of image 0 by a method.</summary>
    public double[] Raw(string method, ProbeResult r, Utility u) =>
        CamMethods.Create(method).Compute(r.Layers[0], Context(r, u)).ToArray();
}
