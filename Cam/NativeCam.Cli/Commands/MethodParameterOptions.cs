using System.CommandLine;
using NativeCam.Cam.Methods;

namespace NativeCam.Cli.Commands;

/// <summary>The options of the methods that take settings, added to a command and read back as <see cref="MethodParameters"/>.</summary>
public sealed class MethodParameterOptions
{
    private readonly CamFamilyOptions _camFamily;
    private readonly AttributionOptions _attribution;

    /// <summary>The options for a command ("explain" or "eval").</summary>
    public MethodParameterOptions(string command)
    {
        _camFamily = new CamFamilyOptions(command);
        _attribution = new AttributionOptions(command);
    }

    /// <summary>Adds every option to the command.</summary>
    public void AddTo(Command command)
    {
        foreach (var o in _camFamily.All.Concat(_attribution.All)) command.Options.Add(o);
    }

    /// <summary>The parsed settings.</summary>
    public MethodParameters Read(ParseResult parse) => new()
    {
        CamFamily = _camFamily.Read(parse),
        Attribution = _attribution.Read(parse),
    };
}
