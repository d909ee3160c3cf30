using System.Diagnostics;
using System.Globalization;

namespace NativeCam.Cam.Diagnostics;

/// <summary>The peak working set of this process so far: what <c>/usr/bin/time -v</c> reports as its maximum resident set.</summary>
public static class PeakMemory
{
    /// <summary>
    /// Bytes: on Linux the kernel's high-water mark of the resident set (<c>VmHWM</c> in <c>/proc/self/status</c>),
    /// elsewhere <see cref="Process.PeakWorkingSet64"/>.
    /// </summary>
    public static long Bytes()
    {
        try
        {
            if (OperatingSystem.IsLinux())
                foreach (var line in File.ReadLines("/proc/self/status"))
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal)
                        && long.TryParse(line["VmHWM:".Length..].Trim().Split(' ')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long kb))
                        return kb * 1024;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }

    /// <summary><see cref="Bytes"/> in MB (10⁶ bytes).</summary>
    public static double Megabytes() => Bytes() / 1e6;
}
