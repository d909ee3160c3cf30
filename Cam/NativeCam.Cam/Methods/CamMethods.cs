namespace NativeCam.Cam.Methods;

/// <summary>The method registry, by CLI name.</summary>
public static class CamMethods
{
    private static readonly Dictionary<string, Func<CamMethod>> Registry = new(StringComparer.OrdinalIgnoreCase)
    {
        ["gradcam"] = () => new GradCam(),
        ["hirescam"] = () => new HiResCam(),
        ["gradcam-elementwise"] = () => new GradCamElementWise(),
        ["gradcam++"] = () => new GradCamPlusPlus(),
        ["xgradcam"] = () => new XGradCam(),
        ["layercam"] = () => new LayerCam(),
        ["shapleycam"] = () => new ShapleyCam(),
        ["shapleycam-h"] = () => new ShapleyCamH(),
        ["shapleycam-e"] = () => new ShapleyCamE(),
        ["eigencam"] = () => new EigenCam(),
        ["eigengradcam"] = () => new EigenGradCam(),
        ["scorecam"] = () => new ScoreCam(),
        ["ablationcam"] = () => new AblationCam(),
        ["random"] = () => new RandomCam(),
        ["finercam"] = () => new FinerCam(),
        ["fem"] = () => new Fem(),
        ["kpca-cam"] = () => new KpcaCam(),
        ["sobelcam"] = () => new SobelCam(),
        ["segeigencam"] = () => new SegEigenCam(),
        ["fullgrad"] = () => new FullGrad(),
        ["guided-backprop"] = () => new GuidedBackpropCam(),
        ["guided-gradcam"] = () => new GuidedGradCam(),
        ["refinecam"] = () => new RefineCam(),
        ["saliency"] = () => new Attribution.Saliency(),
        ["input-x-gradient"] = () => new Attribution.InputXGradient(),
        ["smoothgrad"] = () => new Attribution.SmoothGrad(),
        ["integrated-gradients"] = () => new Attribution.IntegratedGradients(),
        ["rise"] = () => new Attribution.Rise(),
        ["occlusion"] = () => new Attribution.Occlusion(),
    };

    /// <summary>Every method name.</summary>
    public static IReadOnlyCollection<string> Names => Registry.Keys;

    /// <summary>The method of that name.</summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the known ones).</exception>
    public static CamMethod Create(string name) =>
        Registry.TryGetValue(name.Trim(), out var f) ? f()
        : throw new ArgumentException($"unknown method '{name}' (known: {string.Join(", ", Registry.Keys)})");
}
