using NativeCam.Engine;
using NativeCam.Engine.Graph;

namespace NativeCam.Cam;

/// <summary>
/// The explained output of a model, checked to be a classifier's: logits [N, K], [N, K, 1, 1] or [K] (one image)
/// with N the input's batch. K ≥ 2 is a softmax classifier. K = 1 is a binary classifier's single logit z, explained
/// as the two-class logits (−z/2, z/2): their softmax is (1 − σ(z), σ(z)), and the logit utility of class 1 (class 0)
/// is z/2 (−z/2) — pytorch-grad-cam's BinaryClassifierOutputTarget up to the factor ½, which the CAM normalisation
/// removes. Anything else is refused with a <see cref="ClassifierOutputException"/>.
/// </summary>
/// <param name="Name">The graph output.</param>
/// <param name="Shape">Its shape for the imported batch.</param>
/// <param name="ClassCount">K, or 2 for a binary classifier.</param>
/// <param name="IsBinary">Whether the output is a single logit per image.</param>
public sealed record ClassifierOutput(string Name, int[] Shape, int ClassCount, bool IsBinary)
{
    /// <summary>Checks the output of <paramref name="model"/>.</summary>
    /// <exception cref="ClassifierOutputException">The output is not a classifier's (the message names it, its shape and what is expected).</exception>
    public static ClassifierOutput Of(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        string name = model.OutputName;
        int batch = model.InputShape.Length > 0 ? model.InputShape[0] : 1;
        if (!model.TensorShapes.TryGetValue(name, out var shape))
            throw Refuse(model, name, null, "its shape is unknown after import");
        int k = shape switch
        {
            [var n, var c] when n == batch => c,
            [var n, var c, 1, 1] when n == batch => c,
            [var c] when batch == 1 => c,
            _ => 0,
        };
        if (k < 1) throw Refuse(model, name, shape, null);
        return new ClassifierOutput(name, (int[])shape.Clone(), Math.Max(k, 2), k == 1);
    }

    /// <summary>A model output as logits [N, K]: [N, K, 1, 1] and [K] reshaped, a binary [N, 1] as (−z/2, z/2).</summary>
    /// <exception cref="ClassifierOutputException">The tensor has none of the classifier shapes.</exception>
    public static Tensor ToLogits(Tensor output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var logits = output.Shape switch
        {
            [_, _] => output,
            [var n, var c, 1, 1] => output.Reshape(n, c),
            [var c] => output.Reshape(1, c),
            _ => throw new ClassifierOutputException(null, output.Shape,
                $"a classifier output has shape [N, K], [N, K, 1, 1] or [K]; got [{string.Join(", ", output.Shape)}]"),
        };
        if (logits.Shape[1] != 1) return logits;
        var half = logits * 0.5;
        return Tensor.Concat([-half, half], 1);
    }

    private static ClassifierOutputException Refuse(Model model, string name, int[]? shape, string? why)
    {
        string shown = shape is null ? "unknown" : $"[{string.Join(", ", shape)}]";
        var others = model.Graph.Outputs.Where(o => o != name).ToList();
        string choose = others.Count > 0
            ? $"; the model's other outputs: {string.Join(", ", others.Select(o => model.TensorShapes.TryGetValue(o, out var s) ? $"'{o}' [{string.Join(", ", s)}]" : $"'{o}'"))} (choose one with --output-name)"
            : "; it is the model's only output";
        return new ClassifierOutputException(name, shape,
            $"{model.File}: output '{name}' has shape {shown}{(why is null ? "" : $" ({why})")}, which is not an image classifier's: " +
            $"expected logits [N, K] (or [N, K, 1, 1], or [K] for one image) with N = {(model.InputShape.Length > 0 ? model.InputShape[0] : 1)} (the batch), " +
            $"K ≥ 2 classes, or [N, 1] for a binary classifier{choose}");
    }
}

/// <summary>A model whose explained output is not an image classifier's (see <see cref="ClassifierOutput"/>).</summary>
public sealed class ClassifierOutputException(string? outputName, int[]? shape, string message) : InvalidOperationException(message)
{
    /// <summary>The graph output concerned.</summary>
    public string? OutputName { get; } = outputName;

    /// <summary>Its shape, when known.</summary>
    public IReadOnlyList<int>? Shape { get; } = shape;
}
