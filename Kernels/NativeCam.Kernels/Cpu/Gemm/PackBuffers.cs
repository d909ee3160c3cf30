using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NativeCam.Kernels.Cpu.Gemm;

/// <summary>
/// Per-thread scratch for packed panels: pinned (POH) arrays that grow on demand and are reused by every later call
/// on the thread, so the GEMM loops allocate nothing in steady state. Pointers are 64-byte aligned.
/// </summary>
internal static unsafe class PackBuffers<T> where T : unmanaged
{
    [ThreadStatic] private static T[]? _a;
    [ThreadStatic] private static T[]? _b;
    [ThreadStatic] private static T[]? _scratch;
    [ThreadStatic] private static T[]? _plane;

    /// <summary>Scratch for the packed A block.</summary>
    public static T* A(long length) => Get(ref _a, length);

    /// <summary>Scratch for the packed B block.</summary>
    public static T* B(long length) => Get(ref _b, length);

    /// <summary>General scratch (im2col columns and the like); distinct from the pack buffers.</summary>
    public static T* Scratch(long length) => Get(ref _scratch, length);

    /// <summary>Scratch for one padded image plane (Winograd's input tiles), used while the caller's
    /// <see cref="Scratch"/> holds the transformed tiles.</summary>
    public static T* Plane(long length) => Get(ref _plane, length);

    private static T* Get(ref T[]? slot, long length)
    {
        int pad = 64 / sizeof(T);
        if (slot is null || slot.Length < length + pad)
        {
            long size = Math.Max(length + pad, (slot?.Length ?? 0) * 3L / 2);
            if (size > Array.MaxLength) size = length + pad;
            slot = GC.AllocateUninitializedArray<T>(checked((int)size), pinned: true);
        }
        nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(slot));
        return (T*)((p + 63) & ~(nint)63);
    }
}
