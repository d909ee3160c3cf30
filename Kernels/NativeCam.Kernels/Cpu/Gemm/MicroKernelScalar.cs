using System.Numerics;
using System.Runtime.CompilerServices;

namespace NativeCam.Kernels.Cpu.Gemm;

/// <summary>4×4 scalar micro-kernel (the <see cref="SimdLevel.Scalar"/> path): 16 accumulators in registers.</summary>
internal readonly unsafe struct MicroKernelScalar<T> : IMicroKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int MR => 4;
    public static int NR => 4;
    public static int KC => 256;
    public static int MC => 128;
    public static int NC => 2048;

    public static void Run(int kc, T* a, T* b, T* c, nint ldc, in TileStore<T> st) => RunB(kc, a, b, NR, c, ldc, st);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunB(int kc, T* a, T* b, nint ldb, T* c, nint ldc, in TileStore<T> st)
    {
        T* acc = stackalloc T[16];
        T c00 = T.Zero, c01 = T.Zero, c02 = T.Zero, c03 = T.Zero, c10 = T.Zero, c11 = T.Zero, c12 = T.Zero, c13 = T.Zero;
        T c20 = T.Zero, c21 = T.Zero, c22 = T.Zero, c23 = T.Zero, c30 = T.Zero, c31 = T.Zero, c32 = T.Zero, c33 = T.Zero;
        for (int k = 0; k < kc; k++)
        {
            T b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
            T x = a[0]; c00 += x * b0; c01 += x * b1; c02 += x * b2; c03 += x * b3;
            x = a[1]; c10 += x * b0; c11 += x * b1; c12 += x * b2; c13 += x * b3;
            x = a[2]; c20 += x * b0; c21 += x * b1; c22 += x * b2; c23 += x * b3;
            x = a[3]; c30 += x * b0; c31 += x * b1; c32 += x * b2; c33 += x * b3;
            a += 4;
            b += ldb;
        }
        acc[0] = c00; acc[1] = c01; acc[2] = c02; acc[3] = c03;
        acc[4] = c10; acc[5] = c11; acc[6] = c12; acc[7] = c13;
        acc[8] = c20; acc[9] = c21; acc[10] = c22; acc[11] = c23;
        acc[12] = c30; acc[13] = c31; acc[14] = c32; acc[15] = c33;
        for (int i = 0; i < 4; i++, c += ldc)
            for (int j = 0; j < 4; j++) c[j] = st.Apply(acc[i * 4 + j], c + j, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunStrided(int kc, T* a, nint lda, T* b, T* c, nint ldc, in TileStore<T> st)
    {
        T* packed = stackalloc T[4 * kc];
        for (int i = 0; i < 4; i++)
            for (int k = 0; k < kc; k++) packed[k * 4 + i] = a[i * lda + k];
        Run(kc, packed, b, c, ldc, st);
    }

    public static void RunHalf(int kc, T* a, nint lda, T* b, T* tile)
    {
        if (lda == 0) Run(kc, a, b, tile, NR, TileStore<T>.Raw);
        else RunStrided(kc, a, lda, b, tile, NR, TileStore<T>.Raw);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void StoreRows(T* tile, int rows, T* c, nint ldc, in TileStore<T> st)
    {
        for (int i = 0; i < rows; i++, c += ldc)
            for (int j = 0; j < NR; j++) c[j] = st.Apply(tile[i * NR + j], c + j, i);
    }

    public static int StoreLeft(T* tile, int rows, int cols, T* c, nint ldc, in TileStore<T> st) => 0;

    public static bool TryRunHalfAndColumn(int kc, T* a, T* b, T* tile) => false;
}
