namespace NativeCam.Cli;

/// <summary>The <c>nativecam</c> entry point.</summary>
public static class Program
{
    /// <summary>Runs the command line; Ctrl-C cancels between images and exits with 130.</summary>
    public static int Main(string[] args)
    {
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        return CliApp.Run(args, Console.Out, Console.Error, cts.Token);
    }
}
