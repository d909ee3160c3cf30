namespace NativeCam.Cli.Infrastructure;

/// <summary>The process exit codes of the CLI contract.</summary>
public static class ExitCodes
{
    /// <summary>Everything worked.</summary>
    public const int Ok = 0;
    /// <summary>A runtime error (model import failed, every input failed, an unavailable device...).</summary>
    public const int RuntimeError = 1;
    /// <summary>A usage error: bad option value, unknown method or layer, class out of range, missing path, refused overwrite.</summary>
    public const int UsageError = 2;
    /// <summary>Some inputs of a batch failed; the others were processed.</summary>
    public const int SomeInputsFailed = 3;
    /// <summary>Interrupted (Ctrl-C).</summary>
    public const int Interrupted = 130;
}
