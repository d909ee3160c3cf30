namespace NativeCam.Cam.Evaluation;

/// <summary>One image evaluated under every method.</summary>
/// <param name="Rows">One row per method, in the order the methods were given.</param>
/// <param name="Maps">The final map m of each method (H·W in [0, 1], model-input resolution), same order.</param>
/// <param name="Height">Map height.</param>
/// <param name="Width">Map width.</param>
public sealed record ImageEvaluation(IReadOnlyList<ImageResult> Rows, IReadOnlyList<float[]> Maps, int Height, int Width);
