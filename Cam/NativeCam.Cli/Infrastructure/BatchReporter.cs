namespace NativeCam.Cli.Infrastructure;

/// <summary>Progress and per-input failures on stderr; counts failures for the exit code.</summary>
public sealed class BatchReporter(TextWriter stderr, int total)
{
    /// <summary>Inputs that failed: file and message.</summary>
    public List<(string File, string Error)> Failures { get; } = [];

    /// <summary>Inputs processed successfully.</summary>
    public int Succeeded { get; private set; }

    /// <summary>Reports the start of input <paramref name="index"/> (0-based) when there are several.</summary>
    public void Starting(int index, string file)
    {
        if (total > 1) stderr.WriteLine($"[{index + 1}/{total}] {file}");
    }

    /// <summary>Records a success.</summary>
    public void Done() => Succeeded++;

    /// <summary>Records and reports a failure; the batch goes on.</summary>
    public void Failed(string file, string message)
    {
        Failures.Add((file, message));
        stderr.WriteLine($"error: {message}");
    }

    /// <summary>0 when all succeeded, 3 when some failed, 1 when all failed.</summary>
    public int ExitCode => Failures.Count == 0 ? ExitCodes.Ok : Succeeded > 0 ? ExitCodes.SomeInputsFailed : ExitCodes.RuntimeError;
}
