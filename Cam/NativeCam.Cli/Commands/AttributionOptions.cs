using System.CommandLine;
using NativeCam.Cam.Methods;

namespace NativeCam.Cli.Commands;

/// <summary>The input attributions' and perturbation methods' options, shared by explain and eval.</summary>
/// <param name="command">The command they belong to ("explain" or "eval"; eval's --steps is the curves').</param>
public sealed class AttributionOptions(string command)
{
    /// <summary>The command these options belong to.</summary>
    public string Command { get; } = command;

    /// <summary>Every option.</summary>
    public IReadOnlyList<Option> All => [];

    /// <summary>The parsed settings.</summary>
    public AttributionParameters Read(ParseResult parse) => new();
}
