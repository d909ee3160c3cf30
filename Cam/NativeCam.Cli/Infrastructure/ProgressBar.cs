using System.Globalization;

namespace NativeCam.Cli.Infrastructure;

/// <summary>
/// Progress with an ETA on stderr: redrawn in place with '\r' when stderr is a terminal, otherwise one line per step
/// (logs and CI stay readable).
/// </summary>
public sealed class ProgressBar(TextWriter stderr, int total, bool interactive)
{
    private const int Width = 24;
    private readonly DateTime _start = DateTime.UtcNow;
    private int _lastLength;

    /// <summary>Whether <paramref name="writer"/> is the process's stderr and that is a terminal.</summary>
    public static bool IsTerminal(TextWriter writer) => ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected;

    /// <summary>Reports that <paramref name="done"/> of the steps are finished, the last being <paramref name="label"/>.</summary>
    public void Report(int done, string label)
    {
        var elapsed = DateTime.UtcNow - _start;
        var eta = done > 0 ? TimeSpan.FromTicks(elapsed.Ticks / done * (total - done)) : TimeSpan.Zero;
        if (!interactive)
        {
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{done}/{total}] {label} (elapsed {Format(elapsed)}, ETA {Format(eta)})"));
            return;
        }
        int filled = total > 0 ? done * Width / total : Width;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('.', Width - filled)}] {done}/{total} ETA {Format(eta)}  {label}");
        stderr.Write('\r' + line.PadRight(_lastLength));
        _lastLength = line.Length;
        if (done >= total) Finish();
    }

    /// <summary>Writes a message on its own line (ending the bar's line first when drawing in place).</summary>
    public void Message(string message)
    {
        Finish();
        stderr.WriteLine(message);
    }

    /// <summary>Ends the bar's line.</summary>
    public void Finish()
    {
        if (!interactive || _lastLength == 0) return;
        stderr.WriteLine();
        _lastLength = 0;
    }

    private static string Format(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}" : $"{t.Minutes}:{t.Seconds:00}";
}
