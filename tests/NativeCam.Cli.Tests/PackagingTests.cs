using System.Diagnostics;
using System.Text.RegularExpressions;
using NativeCam.Cli.Tests.Support;

namespace NativeCam.Cli.Tests;

/// <summary>The CLI packs as a dotnet tool named nativecam that installs and runs.</summary>
public class PackagingTests
{
    private static (int Code, string Output) Run(string file, string args, string cwd, string? nugetCache = null)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = cwd };
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        // a private package cache, so that a stale nativecam of the same version cached earlier is never reused
        if (nugetCache is not null) psi.Environment["NUGET_PACKAGES"] = nugetCache;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(4))) { p.Kill(true); throw new TimeoutException($"{file} {args}"); }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    [Fact]
    public void PacksInstallsAndRunsAsADotnetTool()
    {
        var tmp = Tool.TempDir();
        var project = Path.Combine(Tool.RepoRoot, "Cam/NativeCam.Cli/NativeCam.Cli.csproj");
        var version = Regex.Match(File.ReadAllText(Path.Combine(Tool.RepoRoot, "Directory.Build.props")), "<Version>([^<]+)</Version>").Groups[1].Value;
        var packages = Path.Combine(tmp, "packages");
        // the tests run after a Release build of the solution, so pack what was built
        var (packCode, packOut) = Run("dotnet", $"pack \"{project}\" -c Release --no-build -o \"{packages}\"", Tool.RepoRoot);
        Assert.True(packCode == 0, packOut);
        Assert.True(File.Exists(Path.Combine(packages, $"nativecam.{version}.nupkg")), packOut);
        Assert.True(File.Exists(Path.Combine(packages, $"nativecam.{version}.snupkg")), packOut);

        var config = Path.Combine(tmp, "nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration><packageSources><clear /><add key="local" value="{packages}" /></packageSources></configuration>
            """);
        var tools = Path.Combine(tmp, "tools");
        var (installCode, installOut) = Run("dotnet", $"tool install --tool-path \"{tools}\" --configfile \"{config}\" nativecam --version {version}", tmp,
            Path.Combine(tmp, "nuget-cache"));
        Assert.True(installCode == 0, installOut);

        var output = Path.Combine(tmp, "out");
        var (code, runOut) = Run(Path.Combine(tools, "nativecam"),
            $"explain \"{Tool.Sample("coffee.png")}\" --output \"{output}\"", tmp); // the embedded model
        Assert.True(code == 0, runOut);
        Assert.True(File.Exists(Path.Combine(output, "coffee.shapleycam.png")), runOut);
        Assert.Contains("class 967 espresso", runOut);
    }
}
