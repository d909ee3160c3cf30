using NativeCam.Cam;
using NativeCam.Cam.Probe;
using NativeCam.Cli.Infrastructure;

namespace NativeCam.Cli.Commands;

/// <summary>The shapley command's options.</summary>
/// <param name="Layer">The target tensor; null for auto.</param>
/// <param name="Class">The class explained; null for each image's top-1.</param>
public sealed record ShapleySettings(IReadOnlyList<string> Inputs, string? ModelPath, string? Layer, int? Class,
    Utility Utility, int Samples, int Seed, int BatchSize, bool Json, string Device, int? Threads, string? OutputName = null,
    bool AllowTruncated = false)
{
    /// <summary>Checks the class and layer against the model (usage errors with suggestions).</summary>
    public void Validate(ModelSession session)
    {
        if (Class is int c && c >= session.ClassCount)
            throw new UsageException($"--class {c} is out of range: the model has {session.ClassCount} classes (0..{session.ClassCount - 1})");
        if (Layer is null) return;
        var candidates = LayerSelection.Candidates(session.Model).Select(l => l.Name).ToList();
        if (!candidates.Contains(Layer))
            throw new UsageException(NearestNames.Unknown("layer", Layer, candidates) + " (see `nativecam layers`)");
    }
}
