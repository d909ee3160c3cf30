using NativeCam.Cam.Probe;
using NativeCam.Engine;
using NativeCam.Engine.Autodiff;
using NativeCam.Engine.Graph;
using NativeCam.Kernels;

namespace NativeCam.Cam.Diagnostics;

/// <summary>
/// The derivatives of u(head(A)) at one target layer that <see cref="LayerGradientCheck"/> verifies, and the functions
/// its finite differences evaluate. Everything is float64 and in the model's own layout of A.
/// </summary>
/// <param name="Activations">A, the point checked.</param>
/// <param name="Gradient">The claimed g = ∂u/∂A at A.</param>
/// <param name="HessianTimesActivations">The claimed H·A at A.</param>
/// <param name="Utility">u(head(z)) by a plain forward pass of the head (no autodiff).</param>
/// <param name="GradientAt">g(z) by reverse mode.</param>
/// <param name="HessianTimes">H(A)·v by forward-over-reverse.</param>
public sealed record LayerDerivatives(Tensor Activations, Tensor Gradient, Tensor HessianTimesActivations,
    Func<Tensor, double> Utility, Func<Tensor, Tensor> GradientAt, Func<Tensor, Tensor, Tensor> HessianTimes)
{
    /// <summary>
    /// Probes <paramref name="model"/> (imported in float64) at <paramref name="layer"/> for one image: the claimed g
    /// and H·A are the <see cref="LayerProbe"/>'s own (for NCHW targets; other layouts are differentiated in the
    /// model's layout the same way, forward-over-reverse of the head).
    /// </summary>
    /// <param name="model">The model, imported with <see cref="DType.Float64"/> for batch 1.</param>
    /// <param name="input">[1, 3, H, W] float64.</param>
    /// <param name="layer">The target tensor's name.</param>
    /// <param name="utility">The scalar differentiated.</param>
    /// <param name="explainedClass">The class; null for the model's top-1.</param>
    /// <returns>The derivatives and the class they are of.</returns>
    public static (LayerDerivatives Derivatives, int Class) Probe(Model model, Tensor input, string layer, Utility utility, int? explainedClass)
    {
        if (model.DType != DType.Float64 || input.DType != DType.Float64)
            throw new ArgumentException("gradient checks run in float64: import the model with OnnxImportOptions.DType = DType.Float64 and pass a Float64 input");
        if (input.Shape.Length == 0 || input.Shape[0] != 1)
            throw new ArgumentException($"gradient checks take one image [1, C, H, W]; got [{string.Join(", ", input.Shape)}]");
        model = model.WithKept([layer]); // the head runs on the graph that materialises the target
        var result = new LayerProbe(model).Run(input, [layer], utility, explainedClass is int c ? [c] : null, withHvp: true);
        var signals = result.Layers[0];
        int[] classes = result.Classes;
        var a = signals.NativeActivations ?? signals.Activations;
        string output = model.OutputName;

        Tensor Head(Tensor z)
        {
            var given = new Dictionary<string, Tensor>(signals.SideInputs, StringComparer.Ordinal) { [layer] = z };
            return LayerProbe.Logits(model.Executor.Evaluate(given, [output])[output]);
        }
        Tensor U(Tensor z) => Utilities.Evaluate(utility, Head(z), classes);

        Tensor g, ha;
        if (signals.Layout == LayerLayout.Nchw) (g, ha) = (signals.Gradients, signals.HessianTimesActivations!);
        else (g, ha) = Ad.GradAndHvp(U, a, a);
        var derivatives = new LayerDerivatives(a, g, ha,
            z => Utilities.PerImage(utility, Head(z), classes).Sum(),
            z => Ad.Grad(U, z),
            (z, v) => Ad.GradAndHvp(U, z, v).Hv);
        return (derivatives, classes[0]);
    }
}
