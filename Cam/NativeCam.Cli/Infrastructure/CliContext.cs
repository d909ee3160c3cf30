namespace NativeCam.Cli.Infrastructure;

/// <summary>Where a command writes and how it is cancelled.</summary>
/// <param name="Out">Results (or JSON).</param>
/// <param name="Error">Progress and diagnostics.</param>
/// <param name="Cancellation">Set by Ctrl-C; checked between images.</param>
public sealed record CliContext(TextWriter Out, TextWriter Error, CancellationToken Cancellation);
