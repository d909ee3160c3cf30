using System.Diagnostics;
using System.Reflection;
using NativeCam.Kernels.Tests;
using Xunit;
using Xunit.Sdk;

namespace NativeCam.GpuCheck;

/// <summary>One kernel test case's outcome.</summary>
/// <param name="Name">Class.Method(arguments).</param>
/// <param name="Passed">True when it ran without an exception.</param>
/// <param name="Seconds">Its run time.</param>
/// <param name="Error">The failure's message (null when it passed).</param>
public sealed record KernelCaseResult(string Name, bool Passed, double Seconds, string? Error);

/// <summary>The kernel table's outcome.</summary>
/// <param name="Backend">The backend the tests ran on.</param>
/// <param name="Cases">Every case run.</param>
/// <param name="NotRun">Cases left out because the time cap was reached.</param>
/// <param name="Problem">Why the step could not run (null when it ran).</param>
public sealed record KernelTableResult(string Backend, IReadOnlyList<KernelCaseResult> Cases, int NotRun, string? Problem)
{
    /// <summary>True when cases ran, all passed, and none was left out.</summary>
    public bool Passed => Problem is null && NotRun == 0 && Cases.Count > 0 && Cases.All(c => c.Passed);
}

/// <summary>
/// Runs the kernel test table (the xunit theories of NativeCam.Kernels.Tests over <see cref="Backends.Names"/>) for
/// one backend, in-process: every [Theory] row whose arguments name the backend is invoked by reflection, as xunit
/// would (a fresh test-class instance per case, disposed after it). Facts and rows of other backends are left out.
/// </summary>
public static class KernelTable
{
    /// <summary>The cases of <paramref name="backend"/> whose display name contains one of <paramref name="filters"/>.</summary>
    public static List<(string Name, Type Class, MethodInfo Method, object?[] Arguments)> Discover(string backend, IReadOnlyList<string> filters)
    {
        var cases = new List<(string, Type, MethodInfo, object?[])>();
        foreach (var type in typeof(Backends).Assembly.GetTypes().Where(t => t.IsClass && t.IsPublic && !t.IsAbstract).OrderBy(t => t.Name))
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance).OrderBy(m => m.MetadataToken))
            {
                if (method.GetCustomAttribute<TheoryAttribute>() is not { Skip: null }) continue;
                foreach (var data in method.GetCustomAttributes<DataAttribute>())
                    foreach (var row in data.GetData(method))
                    {
                        if (!row.OfType<string>().Contains(backend)) continue;
                        string name = $"{type.Name}.{method.Name}({string.Join(", ", row.Select(Format))})";
                        if (filters.Count > 0 && !filters.Any(f => name.Contains(f, StringComparison.OrdinalIgnoreCase))) continue;
                        cases.Add((name, type, method, row));
                    }
            }
        return cases;
    }

    /// <summary>Runs the table until done or until <paramref name="capSeconds"/> have passed, printing each failure.</summary>
    public static KernelTableResult Run(string backend, IReadOnlyList<string> filters, double capSeconds, TextWriter log)
    {
        if (!((IEnumerable<object[]>)Backends.Names).Any(row => (string)row[0] == backend))
            return new KernelTableResult(backend, [], 0, backend == "ilgpu-cuda"
                ? "no CUDA device found (an NVIDIA GPU and driver are needed)"
                : $"backend {backend} is not in the kernel test table");
        var cases = Discover(backend, filters);
        if (cases.Count == 0) return new KernelTableResult(backend, [], 0, $"no kernel test matches backend {backend} and the filters");
        log.WriteLine($"kernel table: {cases.Count} cases on {backend}");
        var results = new List<KernelCaseResult>();
        var total = Stopwatch.StartNew();
        foreach (var (name, type, method, args) in cases)
        {
            if (total.Elapsed.TotalSeconds > capSeconds) break;
            var clock = Stopwatch.StartNew();
            string? error = Invoke(type, method, args);
            results.Add(new KernelCaseResult(name, error is null, clock.Elapsed.TotalSeconds, error));
            if (error is not null) log.WriteLine($"  FAIL {name}: {error}");
        }
        int notRun = cases.Count - results.Count;
        if (notRun > 0) log.WriteLine($"  time cap of {capSeconds:F0} s reached: {notRun} cases not run");
        return new KernelTableResult(backend, results, notRun, null);
    }

    /// <summary>Runs one case; returns null on success, else the failure's first lines.</summary>
    private static string? Invoke(Type type, MethodInfo method, object?[] args)
    {
        object? instance = null;
        try
        {
            instance = Activator.CreateInstance(type);
            if (method.Invoke(instance, args) is Task task) task.GetAwaiter().GetResult();
            return null;
        }
        catch (Exception e)
        {
            var inner = e is TargetInvocationException { InnerException: { } ie } ? ie : e;
            string message = $"{inner.GetType().Name}: {inner.Message}";
            return message.Length > 600 ? message[..600] + "…" : message;
        }
        finally
        {
            (instance as IDisposable)?.Dispose();
        }
    }

    private static string Format(object? v) => v switch
    {
        null => "null",
        string s => $"\"{s}\"",
        Array a => $"[{string.Join(", ", a.Cast<object?>().Select(Format))}]",
        _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "?",
    };
}
