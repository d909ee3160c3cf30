namespace NativeCam.Cam.Methods;

/// <summary>Settings of the CAM-family methods that take any.</summary>
public sealed record CamFamilyParameters
{
}
