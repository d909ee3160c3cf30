using System.Diagnostics;

namespace NativeCam.Cam.Tests.Evaluation;

/// <summary>Finds a headless Chromium and runs it on a page with a fresh profile, killing the process tree on timeout.</summary>
internal static class ChromiumProcess
{
    private static readonly string[] Names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    /// <summary>The first Chromium on PATH, or null.</summary>
    public static string? TryFind()
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in Names)
            foreach (var folder in folders)
            {
                var candidate = Path.Combine(folder, name);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    /// <summary>The first Chromium on PATH; fails the test with the install command when there is none.</summary>
    public static string Find()
    {
        if (TryFind() is { } found) return found;
        Assert.Fail($"Chromium was not found on PATH (looked for {string.Join(", ", Names)}); the report test needs it: run `apt-get install chromium` (.ci/run installs it).");
        return "";
    }

    /// <summary>Runs Chromium with the standard flags, a new temporary profile (deleted afterwards), then <paramref name="arguments"/>; returns stdout.</summary>
    public static string Run(IEnumerable<string> arguments, TimeSpan timeout)
    {
        var profile = Directory.CreateTempSubdirectory("nativecam-chromium-profile-");
        try
        {
            var start = new ProcessStartInfo(Find())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var flag in Flags) start.ArgumentList.Add(flag);
            start.ArgumentList.Add($"--user-data-dir={profile.FullName}");
            foreach (var argument in arguments) start.ArgumentList.Add(argument);

            using var process = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                Assert.Fail($"Chromium did not finish within {timeout.TotalSeconds} s; killed. stderr:\n{Tail(stderr)}");
            }
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"Chromium exited with {process.ExitCode}. stderr:\n{Tail(stderr)}");
            return stdout.GetAwaiter().GetResult();
        }
        finally
        {
            try { profile.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static string Tail(Task<string> stderr)
    {
        string text = stderr.Wait(TimeSpan.FromSeconds(5)) ? stderr.Result : "(unavailable)";
        return text.Length > 4000 ? text[^4000..] : text;
    }
}
