using System.Reflection;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using NativeCam.Kernels.Gpu;

namespace NativeCam.Kernels.Tests;

/// <summary>
/// Without a GPU, the CUDA path is still compiled: every kernel method of the ILGPU backend, in each float
/// instantiation, goes through ILGPU's PTX backend for an sm_90 (Hopper) target. A kernel that uses something the
/// PTX code generator cannot translate fails here, not on the first GPU it meets.
/// </summary>
public class PtxCompilationTests
{
    private static readonly Type[] Scalars = [typeof(float), typeof(double), typeof(int)];

    /// <summary>Kernels the reflection walk must find (the dense ones are the most complex to translate).</summary>
    private static readonly string[] Expected = ["TiledGemm.Kernel", "DepthwiseKernels.Forward", "PoolKernels.Max", "ReduceKernels.PerGroup", "SoftmaxKernels.Row"];

    /// <summary>Static void methods of the kernel classes with every parameter passed by value (kernel signatures).</summary>
    private static IEnumerable<MethodInfo> KernelMethods()
    {
        var assembly = typeof(IlgpuKernels).Assembly;
        foreach (var type in assembly.GetTypes())
        {
            if (type.Namespace is not ("NativeCam.Kernels.Gpu.Kernels" or "NativeCam.Kernels.Gpu.Dense") || !type.IsAbstract || !type.IsSealed)
                continue; // static classes only
            foreach (var m in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                if (m.ReturnType != typeof(void) || m.IsSpecialName || m.GetCustomAttribute<System.Runtime.CompilerServices.CompilerGeneratedAttribute>() is not null)
                    continue;
                var ps = m.GetParameters();
                if (ps.Length == 0 || ps.Any(p => p.ParameterType.IsByRef || p.ParameterType.IsPointer)) continue;
                bool isKernel = ps[0].ParameterType == typeof(Index1D) || ps.Any(p => p.ParameterType.Name.StartsWith("ArrayView", StringComparison.Ordinal))
                                || ps.Any(p => p.ParameterType.IsGenericParameter || p.ParameterType.IsValueType && p.ParameterType.Assembly == assembly);
                if (isKernel) yield return m;
            }
        }
    }

    /// <summary>
    /// Every closed instantiation of a generic kernel: a type parameter without interface constraints takes each
    /// element type; one constrained to interfaces takes each struct of the backend implementing them (generic structs
    /// such as the GEMM problems closed over both float types). Combinations that break a constraint are skipped.
    /// </summary>
    private static IEnumerable<MethodInfo> Instantiations(MethodInfo m)
    {
        if (!m.IsGenericMethodDefinition) { yield return m; yield break; }
        var pool = StructPool();
        var choices = m.GetGenericArguments().Select(g => CandidatesFor(g, pool)).ToArray();
        foreach (var combination in Combinations(choices, 0))
        {
            MethodInfo? closed = null;
            try { closed = m.MakeGenericMethod(combination); }
            catch (ArgumentException) { } // constraints not met
            if (closed is not null) yield return closed;
        }
    }

    private static Type[] StructPool()
    {
        var assembly = typeof(IlgpuKernels).Assembly;
        var plain = assembly.GetTypes().Where(t => t.IsValueType && !t.IsGenericTypeDefinition && t.GetInterfaces().Length > 0).ToArray();
        var closed = new List<Type>();
        foreach (var definition in assembly.GetTypes().Where(t => t.IsValueType && t.IsGenericTypeDefinition))
            foreach (var args in Combinations(definition.GetGenericArguments().Select(_ => Scalars.Concat(plain).ToArray()).ToArray(), 0))
            {
                try { closed.Add(definition.MakeGenericType(args)); }
                catch (ArgumentException) { }
            }
        return [.. plain, .. closed];
    }

    private static Type[] CandidatesFor(Type parameter, Type[] pool)
    {
        var required = parameter.GetGenericParameterConstraints().Where(c => c.IsInterface).Select(Definition).ToArray();
        if (required.Length == 0) return Scalars;
        return pool.Where(t => required.All(r => t.GetInterfaces().Any(i => Definition(i) == r))).ToArray();
    }

    private static Type Definition(Type t) => t.IsGenericType ? t.GetGenericTypeDefinition() : t;

    private static IEnumerable<Type[]> Combinations(Type[][] choices, int from)
    {
        if (from == choices.Length) { yield return []; yield break; }
        foreach (var head in choices[from])
            foreach (var tail in Combinations(choices, from + 1))
                yield return [head, .. tail];
    }

    [Fact]
    public void EveryKernelCompilesToPtxForSm90()
    {
        using var context = Context.Create(b => b.Cuda().EnableAlgorithms());
        var backend = new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_90), CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null);
        var failures = new List<string>();
        int compiled = 0;
        var names = new HashSet<string>();
        foreach (var method in KernelMethods())
            foreach (var kernel in Instantiations(method))
            {
                var entry = kernel.GetParameters()[0].ParameterType == typeof(Index1D)
                    ? EntryPointDescription.FromImplicitlyGroupedKernel(kernel)
                    : EntryPointDescription.FromExplicitlyGroupedKernel(kernel);
                try
                {
                    var result = (PTXCompiledKernel)backend.Compile(entry, new KernelSpecialization());
                    Assert.Contains(".entry", result.PTXAssembly);
                    compiled++;
                    names.Add($"{kernel.DeclaringType!.Name}.{kernel.Name}");
                }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                {
                    failures.Add($"{kernel.DeclaringType!.Name}.{kernel.Name}<{string.Join(",", kernel.GetGenericArguments().Select(a => a.Name))}>: {e.GetType().Name}: {e.Message}");
                }
            }
        Assert.True(failures.Count == 0, $"{failures.Count} kernels failed to compile to PTX (of {compiled + failures.Count}):\n" + string.Join("\n", failures));
        Assert.True(compiled >= 40, $"only {compiled} kernels were found; the reflection filter is probably wrong");
        foreach (var name in Expected) Assert.Contains(name, names);
    }
}
