using NativeCam.Cam.Methods;

namespace NativeCam.Cam.Attribution;

/// <summary>∂u/∂x of every image of the context's input for its explained class.</summary>
public static class InputGradient
{
    /// <summary>The gradients [N·C·H·W].</summary>
    public static double[] Of(CamContext context)
    {
        var x = context.Input.ToArray();
        int n = context.Input.Shape[0], size = x.Length / n;
        var g = new double[x.Length];
        ModelRows.Gradients(context, n, (r, row) => x.AsSpan(r * size, size).CopyTo(row), r => context.Result.Classes[r],
            (r, grad) => grad.CopyTo(g.AsSpan(r * size, size)));
        return g;
    }
}
