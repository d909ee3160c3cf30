using NativeCam.Cam.Methods;
using NativeCam.Cam.Probe;
using NativeCam.Engine;
using NativeCam.Engine.Autodiff;

namespace NativeCam.Cam.Attribution;

/// <summary>
/// Runs many model inputs ("rows", each C·H·W values built on demand) through the full model in batches of
/// <see cref="CamContext.BatchSize"/> at most, evenly filled: forward for u(row), or one reverse sweep for u and ∂u/∂x
/// per row. The last batch is padded with copies of its last row, so one imported batch size serves every batch.
/// </summary>
public static class ModelRows
{
    /// <summary>Fills <paramref name="row"/> (C·H·W values) with input row r.</summary>
    public delegate void Fill(int r, Span<double> row);

    /// <summary>Receives the gradient ∂u/∂x (C·H·W values) of row r.</summary>
    public delegate void Take(int r, ReadOnlySpan<double> gradient);

    /// <summary>u of every row for the class of its image (<paramref name="classOf"/>(r)), forward passes only.</summary>
    public static double[] Utilities(CamContext context, int rows, Fill fill, Func<int, int> classOf) =>
        Run(context, rows, fill, classOf, null);

    /// <summary>u of every row; ∂u/∂x of each row handed to <paramref name="take"/>.</summary>
    public static double[] Gradients(CamContext context, int rows, Fill fill, Func<int, int> classOf, Take take) =>
        Run(context, rows, fill, classOf, take);

    private static double[] Run(CamContext context, int rows, Fill fill, Func<int, int> classOf, Take? take)
    {
        if (rows == 0) return [];
        var input = context.Input;
        int ch = input.Shape[1], h = input.Shape[2], w = input.Shape[3], size = ch * h * w;
        // as few batches as BatchSize allows, evenly filled (50 rows at batch 32: two batches of 25, not 32 + 18 padded)
        int batches = (rows + Math.Max(1, context.BatchSize) - 1) / Math.Max(1, context.BatchSize);
        int batch = Math.Max(1, (rows + batches - 1) / batches);
        var model = context.Probe.ForBatch(batch);
        var data = new double[batch * size];
        var classes = new int[batch];
        var u = new double[rows];
        for (int start = 0; start < rows; start += batch)
        {
            int count = Math.Min(batch, rows - start);
            for (int b = 0; b < batch; b++)
            {
                int r = start + Math.Min(b, count - 1);
                fill(r, data.AsSpan(b * size, size));
                classes[b] = classOf(r);
            }
            using var x = Tensor.FromDoubles(data, [batch, ch, h, w], input.DType, input.Backend);
            Tensor Logits(Tensor z) => ClassifierOutput.ToLogits(model.Executor.Evaluate(
                new Dictionary<string, Tensor>(StringComparer.Ordinal) { [model.InputName] = z }, [model.OutputName])[model.OutputName]);
            double[] values;
            if (take is null)
            {
                values = Probe.Utilities.PerImage(context.Utility, Logits(x), classes);
            }
            else
            {
                Tensor? logits = null;
                var g = Ad.Grad(z =>
                {
                    var o = Logits(z);
                    logits = o;
                    return Probe.Utilities.Evaluate(context.Utility, o, classes);
                }, x).ToArray();
                values = Probe.Utilities.PerImage(context.Utility, Plain(logits!), classes);
                for (int b = 0; b < count; b++) take(start + b, g.AsSpan(b * size, size));
            }
            Array.Copy(values, 0, u, start, count);
        }
        return u;
    }

    /// <summary>The plain values of a tensor that may carry derivative records.</summary>
    private static Tensor Plain(Tensor t) => Tensor.FromDoubles(t.ToArray(), t.Shape, t.DType, t.Backend);
}
