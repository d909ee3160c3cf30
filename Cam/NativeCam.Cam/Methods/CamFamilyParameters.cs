namespace NativeCam.Cam.Methods;

/// <summary>Settings of the CAM-family methods that take any.</summary>
public sealed record CamFamilyParameters
{
    /// <summary>FinerCAM: the weight α of the similar classes' scores subtracted from the target's (0: the base method on the logit).</summary>
    public double Alpha { get; init; } = 1;

    /// <summary>FinerCAM: how many classes, those whose logits are closest to the target's, are compared with it.</summary>
    public int Compare { get; init; } = 3;

    /// <summary>
    /// The method FinerCAM and RefineCAM build on (null: each one's default, gradcam for FinerCAM and gradcam++ for
    /// RefineCAM, as in pytorch-grad-cam).
    /// </summary>
    public string? BaseMethod { get; init; }

    /// <summary>FEM: the k of the k-sigma rule (a channel's element counts where it exceeds mean + k·std).</summary>
    public double K { get; init; } = 2;

    /// <summary>KPCA-CAM: the kernel of the kernel PCA.</summary>
    public KpcaKernel Kernel { get; init; } = KpcaKernel.Sigmoid;

    /// <summary>explain: also write each method's map times the guided-backpropagation image (&lt;stem&gt;.&lt;method&gt;.guided.png).</summary>
    public bool Guided { get; init; }
}
