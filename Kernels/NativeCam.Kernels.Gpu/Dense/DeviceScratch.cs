using ILGPU;
using ILGPU.Runtime;

namespace NativeCam.Kernels.Gpu.Dense;

/// <summary>
/// A growable device scratch buffer of one element type, reused across calls so that kernels needing temporary
/// memory do not allocate (and synchronise) on every call. Callers hold <see cref="Gate"/> while they enqueue the
/// kernels that use the scratch: all launches go to the accelerator's default stream, so later users of the scratch
/// run after earlier ones have finished with it.
/// </summary>
internal sealed class DeviceScratch<T>(Accelerator accelerator) : IDisposable where T : unmanaged
{
    private MemoryBuffer1D<T, Stride1D.Dense>? _memory;

    /// <summary>Serialises the enqueueing of kernels that use this scratch.</summary>
    public object Gate { get; } = new();

    /// <summary>A view of at least <paramref name="length"/> elements (call with <see cref="Gate"/> held).</summary>
    public ArrayView<T> Get(long length)
    {
        if (_memory is null || _memory.Length < length)
        {
            if (_memory is not null)
            {
                accelerator.Synchronize(); // kernels queued earlier may still read the old buffer
                _memory.Dispose();
            }
            _memory = accelerator.Allocate1D<T>(Math.Max(length, 1024));
        }
        return ((ArrayView<T>)_memory.View).SubView(0, length);
    }

    /// <summary>Releases the device memory.</summary>
    public void Dispose()
    {
        _memory?.Dispose();
        _memory = null;
    }
}
