namespace NativeCam.Cam.Methods;

/// <summary>Settings of the attributions to input pixels and of the perturbation methods.</summary>
public sealed record AttributionParameters
{
}
