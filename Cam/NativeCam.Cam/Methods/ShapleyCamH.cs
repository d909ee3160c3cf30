using NativeCam.Cam.Probe;

namespace NativeCam.Cam.Methods;

/// <summary>ShapleyCAM-H: map = Σ_k (g − ½·H·A)_k ⊙ A_k, the sum of the elements' Shapley values per position.</summary>
public sealed class ShapleyCamH : CamMethod
{
    /// <inheritdoc/>
    public override string Name => "shapleycam-h";

    /// <inheritdoc/>
    public override bool FromSignalsAlone => true;

    /// <inheritdoc/>
    public override bool NeedsHvp => true;

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals s, CamContext context) => ShapleyWeights(s) * A(s);
}
