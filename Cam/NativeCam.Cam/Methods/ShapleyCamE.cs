using NativeCam.Cam.Probe;

namespace NativeCam.Cam.Methods;

/// <summary>ShapleyCAM-E: map = Σ_k ReLU((g − ½·H·A)_k ⊙ A_k) (the author's fork calls this one "ShapleyCAM").</summary>
public sealed class ShapleyCamE : CamMethod
{
    /// <inheritdoc/>
    public override string Name => "shapleycam-e";

    /// <inheritdoc/>
    public override bool FromSignalsAlone => true;

    /// <inheritdoc/>
    public override bool NeedsHvp => true;

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals s, CamContext context) => (ShapleyWeights(s) * A(s)).Relu();
}
