namespace NativeCam.Cam.Methods;

/// <summary>The methods FinerCAM and RefineCAM may build on: those that weight one target layer's signals.</summary>
public static class BaseMethods
{
    /// <summary>Layer methods that read g (FinerCAM changes the target g is taken of, so only these make sense for it).</summary>
    public static IReadOnlyList<string> Gradient { get; } =
    [
        "gradcam", "hirescam", "gradcam-elementwise", "gradcam++", "xgradcam", "layercam",
        "shapleycam", "shapleycam-h", "shapleycam-e", "eigengradcam", "segeigencam",
    ];

    /// <summary>Every layer method (RefineCAM's possible bases).</summary>
    public static IReadOnlyList<string> Layer { get; } = [.. Gradient, "eigencam", "scorecam", "ablationcam", "fem", "kpca-cam"];

    /// <summary>The names a base method may have for <paramref name="method"/> ("finercam" or "refinecam").</summary>
    public static IReadOnlyList<string> For(string method) => method == "finercam" ? Gradient : Layer;

    /// <summary>The base method of <paramref name="method"/>: <paramref name="name"/>, or <paramref name="fallback"/> when null.</summary>
    /// <exception cref="ArgumentException">The name is not a base method of <paramref name="method"/>.</exception>
    public static CamMethod Create(string method, string? name, string fallback)
    {
        var n = (name ?? fallback).Trim();
        if (!For(method).Contains(n, StringComparer.OrdinalIgnoreCase))
            throw new ArgumentException($"--base-method '{n}' cannot be the base of {method} (allowed: {string.Join(", ", For(method))})");
        return CamMethods.Create(n);
    }
}
