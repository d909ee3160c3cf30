using System.CommandLine;
using NativeCam.Cam.Images;
using NativeCam.Cli.Commands;
using NativeCam.Cli.Infrastructure;
using NativeCam.Importers.Onnx;

namespace NativeCam.Cli;

/// <summary>The command tree and the mapping of failures to exit codes (0, 1, 2, 3, 130).</summary>
public static class CliApp
{
    /// <summary>Builds the root command for the given context.</summary>
    public static RootCommand Build(CliContext context) =>
        new("nativecam: explain ONNX image classifiers (GradCAM, ShapleyCAM) in pure .NET")
        {
            ExplainCommand.Create(context),
            ClassifyCommand.Create(context),
            LayersCommand.Create(context),
            EvalCommand.Create(context),
            EvalMergeCommand.Create(context),
            GradcheckCommand.Create(context),
            BenchCommand.Create(context),
            ShapleyCommand.Create(context),
            ProfileCommand.Create(context),
        };

    /// <summary>Parses and runs a command line; results go to <paramref name="stdout"/>, diagnostics to <paramref name="stderr"/>.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellation = default)
    {
        var context = new CliContext(stdout, stderr, cancellation);
        var root = Build(context);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) stderr.WriteLine($"error: {e.Message}");
            stderr.WriteLine("run `nativecam --help` or `nativecam <command> --help` for usage");
            return ExitCodes.UsageError;
        }
        try
        {
            var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return parse.Invoke(config);
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.UsageError;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("interrupted");
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (e is OnnxImportException or ImageLoadException or InvalidOperationException or IOException
                                      or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.RuntimeError;
        }
        catch (Exception e)
        {
            // no input may crash the process: anything unforeseen is still one line on stderr and exit code 1
            stderr.WriteLine($"error: internal error ({e.GetType().Name}): {e.Message}; please report it with the input that caused it");
            return ExitCodes.RuntimeError;
        }
    }
}
