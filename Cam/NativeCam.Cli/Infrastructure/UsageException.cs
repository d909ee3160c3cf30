namespace NativeCam.Cli.Infrastructure;

/// <summary>A usage error: the command line asks for something invalid (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);
