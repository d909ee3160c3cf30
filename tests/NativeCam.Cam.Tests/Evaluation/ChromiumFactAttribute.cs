using System.Runtime.CompilerServices;

namespace NativeCam.Cam.Tests.Evaluation;

/// <summary>
/// A test that needs headless Chromium (a system program, not a package): it runs when one is on PATH and is reported
/// as skipped otherwise, with the reason in its display name (dotnet test lists skipped tests by name only).
/// `.ci/run` installs Chromium, so CI always runs it.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <param name="test">The test method (filled in by the compiler), for the display name.</param>
    /// <param name="file">The test's source file (filled in by the compiler): its name is the test class's.</param>
    public ChromiumFactAttribute([CallerMemberName] string test = "", [CallerFilePath] string file = "")
    {
        if (ChromiumProcess.TryFind() is not null) return;
        Skip = "needs Chromium: none on PATH (apt-get install chromium; .ci/run installs it)";
        DisplayName = $"{Path.GetFileNameWithoutExtension(file)}.{test} ({Skip})";
    }
}
