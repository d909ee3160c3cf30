using NativeCam.Engine;
using NativeCam.Engine.Autodiff;
using NativeCam.Engine.Graph;

namespace NativeCam.Cam.Probe;

/// <summary>∂u/∂x of the whole model at its input, optionally by guided backpropagation (<see cref="GuidedBackprop"/>).</summary>
public static class InputGradients
{
    /// <summary>∂u/∂x [N, 3, H, W] for the utility of <paramref name="classes"/> (one reverse sweep).</summary>
    /// <param name="model">The model (built for any batch: the input's batch is built on demand).</param>
    /// <param name="input">[N, 3, H, W].</param>
    /// <param name="utility">The differentiated utility.</param>
    /// <param name="classes">The class of each image.</param>
    /// <param name="guided">ReLU and Clip back-propagate by the guided rule.</param>
    public static Tensor Compute(Model model, Tensor input, Utility utility, int[] classes, bool guided = false)
    {
        var m = model.ForBatch(input.Shape[0]);
        Tensor U(Tensor x) =>
            Utilities.Evaluate(utility, LayerProbe.Logits(m.Executor.Evaluate(new Dictionary<string, Tensor> { [m.InputName] = x }, [m.OutputName])[m.OutputName]), classes);
        if (!guided) return Ad.Grad(U, input);
        using (GuidedBackprop.Enable()) return Ad.Grad(U, input);
    }
}
