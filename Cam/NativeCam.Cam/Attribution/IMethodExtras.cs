namespace NativeCam.Cam.Attribution;

/// <summary>A method that reports per-image figures besides its maps (e.g. the completeness residual of integrated gradients).</summary>
public interface IMethodExtras
{
    /// <summary>Figures of the images of the last computed batch, by name, one value per image (null before any).</summary>
    IReadOnlyDictionary<string, double[]>? Extras { get; }
}
