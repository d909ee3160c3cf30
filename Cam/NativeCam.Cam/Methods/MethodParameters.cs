namespace NativeCam.Cam.Methods;

/// <summary>The settings of the methods that take any: the CAM family's and the input attributions'.</summary>
public sealed record MethodParameters
{
    /// <summary>Settings of the CAM-family methods (FinerCAM, FEM, KPCA-CAM, RefineCAM, guided methods).</summary>
    public CamFamilyParameters CamFamily { get; init; } = new();

    /// <summary>Settings of the attributions to input pixels and of the perturbation methods.</summary>
    public AttributionParameters Attribution { get; init; } = new();
}
