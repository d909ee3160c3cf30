using System.CommandLine;
using NativeCam.Cam.Methods;

namespace NativeCam.Cli.Commands;

/// <summary>The CAM-family methods' options, shared by explain and eval.</summary>
/// <param name="command">The command they belong to ("explain" or "eval").</param>
public sealed class CamFamilyOptions(string command)
{
    /// <summary>The command these options belong to.</summary>
    public string Command { get; } = command;

    /// <summary>Every option.</summary>
    public IReadOnlyList<Option> All => [];

    /// <summary>The parsed settings.</summary>
    public CamFamilyParameters Read(ParseResult parse) => new();
}
