using NativeCam.Cam.Methods;

namespace NativeCam.Cam.Attribution;

/// <summary>
/// Input × gradient (Shrikumar et al., 2016): x ⊙ ∂u/∂x, signed; for a model linear in x it is each element's exact
/// contribution to u. The plane is |Σ_c x_c·∂u/∂x_c|.
/// </summary>
public sealed class InputXGradient : InputAttribution
{
    /// <inheritdoc/>
    public override string Name => "input-x-gradient";

    /// <inheritdoc/>
    public override ChannelReduction Reduction => ChannelReduction.AbsoluteOfSum;

    /// <inheritdoc/>
    public override double[] Attribute(CamContext context)
    {
        var g = InputGradient.Of(context);
        var x = context.Input.ToArray();
        for (int i = 0; i < g.Length; i++) g[i] *= x[i];
        return g;
    }
}
