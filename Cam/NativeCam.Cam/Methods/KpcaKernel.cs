namespace NativeCam.Cam.Methods;

/// <summary>The kernels of KPCA-CAM (scikit-learn's definitions, γ = 1/C for C channels, coef0 = 1).</summary>
public enum KpcaKernel
{
    /// <summary>exp(−γ‖a − b‖²).</summary>
    Rbf,
    /// <summary>tanh(γ·⟨a, b⟩ + 1) (pytorch-grad-cam's default).</summary>
    Sigmoid,
    /// <summary>⟨a, b⟩ / (‖a‖·‖b‖) (0 where a norm is 0).</summary>
    Cosine,
}

/// <summary>Kernel names for the CLI.</summary>
public static class KpcaKernels
{
    /// <summary>The CLI names, in <see cref="KpcaKernel"/> order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["rbf", "sigmoid", "cosine"];

    /// <summary>Parses a CLI name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static KpcaKernel Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "rbf" => KpcaKernel.Rbf,
        "sigmoid" => KpcaKernel.Sigmoid,
        "cosine" => KpcaKernel.Cosine,
        _ => throw new ArgumentException($"unknown kernel '{name}' ({string.Join(", ", Names)})"),
    };
}
