using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace NativeCam.Kernels.Gpu;

/// <summary>
/// <see cref="IKernels"/> on ILGPU: CUDA when a GPU is present, or ILGPU's CPU accelerator (which runs the very
/// same kernels, slowly, so tests cover the GPU code without a GPU). Buffers stay on the device between calls;
/// data crosses only in <see cref="Upload{T}"/> and <see cref="Download{T}"/>. One ILGPU context and one
/// accelerator per device serve the whole process, and each kernel compiles once per device, on first use: every
/// <see cref="IlgpuKernels"/> on a device is a light handle to that shared state, and buffers of one handle are
/// accepted by any handle on the same device.
/// </summary>
public sealed partial class IlgpuKernels : IKernels
{
    private static readonly Lazy<Context> SharedContext = new(() =>
    {
        var context = Context.Create(b => b.Cuda().CPU(CPUDeviceKind.Nvidia).EnableAlgorithms());
        AppDomain.CurrentDomain.ProcessExit += (_, _) => context.Dispose();
        return context;
    }, isThreadSafe: true);

    private static readonly Dictionary<string, SharedDevice> Devices = [];

    /// <summary>An accelerator and the kernels compiled for it, shared by every handle on that device.</summary>
    private sealed class SharedDevice(Accelerator accelerator)
    {
        public Accelerator Accelerator { get; } = accelerator;
        public Dictionary<string, object> Loaded { get; } = [];
    }

    private readonly SharedDevice _device;

    private IlgpuKernels(SharedDevice device, string name)
    {
        _device = device;
        Name = name;
    }

    private static SharedDevice DeviceFor(string key, Func<Context, Accelerator> create)
    {
        lock (Devices)
        {
            if (!Devices.TryGetValue(key, out var d)) Devices[key] = d = new SharedDevice(create(SharedContext.Value));
            return d;
        }
    }

    /// <summary>True when ILGPU finds a CUDA device.</summary>
    public static bool IsCudaAvailable
    {
        get
        {
            try { return SharedContext.Value.GetCudaDevices().Count > 0; }
            catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or InvalidOperationException) { return false; }
        }
    }

    /// <summary>Kernels on CUDA device <paramref name="device"/>; throws when there is none.</summary>
    public static IlgpuKernels CreateCuda(int device = 0)
    {
        var devices = SharedContext.Value.GetCudaDevices();
        if (device < 0 || device >= devices.Count)
            throw new NotSupportedException(devices.Count == 0
                ? "no CUDA device found (NVIDIA driver and GPU required)"
                : $"CUDA device {device} does not exist (found {devices.Count})");
        var cudaDevice = devices[device];
        var shared = DeviceFor($"cuda{device}", c => cudaDevice.CreateAccelerator(c));
        return new IlgpuKernels(shared, $"cuda-{shared.Accelerator.Name}");
    }

    /// <summary>Kernels on ILGPU's CPU accelerator, shaped like an NVIDIA device (warp 32, groups up to 1024).</summary>
    public static IlgpuKernels CreateCpu() => new(DeviceFor("cpu", c => c.GetCPUDevice(0).CreateAccelerator(c)), "ilgpu-cpu");

    /// <summary>The ILGPU accelerator the kernels run on (shared by every handle on this device).</summary>
    public Accelerator Accelerator => _device.Accelerator;

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>True when the kernels run on a real GPU.</summary>
    public bool IsGpu => Accelerator.AcceleratorType == AcceleratorType.Cuda;

    /// <summary>Loads (compiles) a kernel once per backend under <paramref name="key"/> and caches it.</summary>
    internal TDelegate Kernel<TDelegate>(string key, Func<Accelerator, TDelegate> load) where TDelegate : class
    {
        lock (_device)
        {
            if (_device.Loaded.TryGetValue(key, out var k)) return (TDelegate)k;
            var loaded = load(Accelerator);
            _device.Loaded[key] = loaded;
            return loaded;
        }
    }

    /// <inheritdoc/>
    public IBuffer Allocate(DType dtype, long length)
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), length, "length must be ≥ 0");
        return dtype switch
        {
            DType.Float32 => new IlgpuBuffer<float>(this, length),
            DType.Float64 => new IlgpuBuffer<double>(this, length),
            DType.Int32 => new IlgpuBuffer<int>(this, length),
            _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
        };
    }

    /// <summary>
    /// Called after every copy between the host and this handle's buffers with (true for an upload, bytes): a
    /// diagnostic hook (e.g. to count the transfers of a request). Other handles on the same device do not report
    /// here.
    /// </summary>
    public Action<bool, long>? TransferObserver { get; set; }

    /// <inheritdoc/>
    public void Upload<T>(ReadOnlySpan<T> source, IBuffer destination) where T : unmanaged
    {
        var d = View<T>(destination);
        if (source.Length != d.Length) throw new ArgumentException($"upload of {source.Length} elements into a buffer of {d.Length}");
        if (source.Length > 0) d.CopyFromCPU(source);
        TransferObserver?.Invoke(true, (long)source.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
    }

    /// <inheritdoc/>
    public void Download<T>(IBuffer source, Span<T> destination) where T : unmanaged
    {
        var s = View<T>(source);
        if (destination.Length != s.Length) throw new ArgumentException($"download of {s.Length} elements into a span of {destination.Length}");
        if (destination.Length > 0) s.CopyToCPU(destination);
        TransferObserver?.Invoke(false, (long)destination.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
    }

    /// <summary>The device view of a buffer of this backend, checked for owner and element type.</summary>
    internal ArrayView<T> View<T>(IBuffer b) where T : unmanaged
    {
        if (b is IlgpuBuffer<T> gb)
        {
            if (gb.Backend is not IlgpuKernels owner || !ReferenceEquals(owner._device, _device)) throw new ArgumentException($"buffer belongs to another backend ({gb.Backend.Name})");
            return gb.View;
        }
        throw new ArgumentException(b is null ? "buffer is null" : $"expected an ILGPU {DTypeExtensions.Of<T>()} buffer, got {b.DType} on {b.Backend.Name}");
    }

    /// <summary>The dtype shared by float operands; throws when they differ or are not float.</summary>
    internal static DType FloatType(params IBuffer?[] buffers) => KernelChecks.FloatType(buffers);

    /// <summary>Waits for queued kernels to finish.</summary>
    public void Synchronize() => Accelerator.Synchronize();

    /// <summary>
    /// Releases this handle. The device's accelerator and compiled kernels live until the process exits (they are
    /// shared); device memory is released by disposing the buffers.
    /// </summary>
    public void Dispose() { }
}
