namespace NativeCam.Cam.Methods;

/// <summary>The reference input of integrated gradients.</summary>
public enum IntegratedGradientsBaseline
{
    /// <summary>A black image (RGB 0 under the model's normalisation, <see cref="AttributionParameters.BlackPixel"/>).</summary>
    Black,

    /// <summary>The input blurred by a Gaussian of <see cref="AttributionParameters.BlurSigma"/> pixels.</summary>
    Blur,
}

/// <summary>Settings of the attributions to input pixels and of the perturbation methods.</summary>
public sealed record AttributionParameters
{
    /// <summary>SmoothGrad: noisy samples per image (Smilkov et al. use 50; Captum's examples 10–50).</summary>
    public int Samples { get; init; } = 25;

    /// <summary>SmoothGrad: noise σ as a fraction of the image's value range (max − min), Smilkov et al.'s 10–20 %.</summary>
    public double Noise { get; init; } = 0.15;

    /// <summary>Integrated gradients: steps of the midpoint Riemann sum along the path.</summary>
    public int Steps { get; init; } = 50;

    /// <summary>Integrated gradients: the reference input.</summary>
    public IntegratedGradientsBaseline Baseline { get; init; } = IntegratedGradientsBaseline.Black;

    /// <summary>Integrated gradients: σ in pixels of the blurred baseline.</summary>
    public double BlurSigma { get; init; } = 10;

    /// <summary>
    /// The model-input value of a black pixel per channel: (0 − mean)/std of the ImageNet normalisation the CLI
    /// applies; a single value applies to every channel.
    /// </summary>
    public IReadOnlyList<double> BlackPixel { get; init; } = [-0.485 / 0.229, -0.456 / 0.224, -0.406 / 0.225];

    /// <summary>RISE: random masks per image (Petsiuk et al. use 4000–8000 on ResNet-50).</summary>
    public int Masks { get; init; } = 1000;

    /// <summary>RISE: cells per side of the coarse binary grid (s).</summary>
    public int MaskCells { get; init; } = 7;

    /// <summary>RISE: probability that a cell is kept (p).</summary>
    public double KeepProbability { get; init; } = 0.5;

    /// <summary>Occlusion: side of the square window in pixels.</summary>
    public int Window { get; init; } = 16;

    /// <summary>Occlusion: step of the window in pixels.</summary>
    public int Stride { get; init; } = 8;

    /// <summary>Settings of the attribution metrics of an evaluation (faithfulness correlation, monotonicity, sanity checks).</summary>
    public Metrics.AttributionMetricParameters Metrics { get; init; } = new();

    /// <summary>Checks every range; the message names the CLI option.</summary>
    /// <exception cref="ArgumentException">A value out of range.</exception>
    /// <param name="stepsOption">The name of the steps option on the command in use (explain: --steps; eval: --ig-steps).</param>
    public void Validate(string stepsOption = "--steps")
    {
        static void Require(bool ok, string message)
        {
            if (!ok) throw new ArgumentException(message);
        }
        Require(Samples >= 1, $"--samples must be at least 1; got {Samples}");
        Require(double.IsFinite(Noise) && Noise >= 0, $"--noise must be a finite fraction ≥ 0; got {Noise}");
        Require(Steps >= 1, $"{stepsOption} must be at least 1; got {Steps}");
        Require(double.IsFinite(BlurSigma) && BlurSigma > 0, $"--blur-sigma must be a finite number > 0; got {BlurSigma}");
        Require(BlackPixel.Count >= 1 && BlackPixel.All(double.IsFinite), "the black pixel needs at least one finite value");
        Require(Masks >= 1, $"--masks must be at least 1; got {Masks}");
        Require(MaskCells >= 1, $"--mask-cells must be at least 1; got {MaskCells}");
        Require(KeepProbability > 0 && KeepProbability <= 1, $"--keep-probability must be in (0, 1]; got {KeepProbability}");
        Require(Window >= 1, $"--window must be at least 1; got {Window}");
        Require(Stride >= 1, $"--stride must be at least 1; got {Stride}");
    }
}
