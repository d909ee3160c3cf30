using System.Runtime.CompilerServices;
using ILGPU;
using NativeCam.Kernels.Gpu.Kernels;

namespace NativeCam.Kernels.Gpu.Dense;

/// <summary>
/// The shared-memory tiled GEMM. A group of R×R threads (<see cref="ITileShape"/>; R = 16 on GPUs) computes a 4R×4R
/// tile of C, stepping through K 16 at a time. Each step stages a 4R×16 tile of A and a 16×4R tile of B in shared
/// memory (zero outside the matrices, so edge tiles need no special case in the inner loop); then thread (ty, tx)
/// accumulates the 4×4 register block of rows ty + R·i and columns tx + R·j: reads of B are consecutive across a
/// warp, reads of A are broadcasts, and the final stores to C are coalesced along rows. Grid: one group per
/// (batch, tile row, tile column).
/// </summary>
internal static class TiledGemm
{
    /// <summary>Depth of one K step.</summary>
    public const int Depth = 16;
    // row pitch of the shared tiles (sized for the largest tile, 64): one spare element keeps k-fastest stores
    // from hitting a single bank
    private const int Pitch = 64 + 1;

    /// <summary>Number of groups for a problem on tiles of edge <paramref name="tile"/>.</summary>
    public static long Groups(int m, int n, int batch, int tile) => (long)((m + tile - 1) / tile) * ((n + tile - 1) / tile) * batch;

    /// <summary>The kernel (explicitly grouped: R² threads per group, <see cref="Groups"/> groups).</summary>
    public static void Kernel<T, TOps, TProblem, TShape>(TProblem p)
        where T : unmanaged where TOps : struct, IFloatOps<T> where TProblem : struct, IGemmProblem<T> where TShape : struct, ITileShape
    {
        var ops = default(TOps);
        var sa = SharedMemory.Allocate<T>(Depth * Pitch);
        var sb = SharedMemory.Allocate<T>(Depth * Pitch);
        int R = default(TShape).RowThreads, tile = 4 * R, threads = R * R, staged = tile * Depth;
        int tid = Group.IdxX, tx = tid % R, ty = tid / R;
        int M = p.M, N = p.N, K = p.K;
        int tilesN = (N + tile - 1) / tile, tilesM = (M + tile - 1) / tile;
        int block = Grid.IdxX, tn = block % tilesN, rest = block / tilesN, tm = rest % tilesM, b = rest / tilesM;
        int m0 = tm * tile, n0 = tn * tile;
        bool aAlongK = p.AAlongK, bAlongK = p.BAlongK;
        var acc = new Block4x4<T, TOps>();
        acc.Clear();
        for (int k0 = 0; k0 < K; k0 += Depth)
        {
            // 64 / R elements of each tile per thread: 4 on GPUs, so this loop runs once there
            for (int e = tid; e < staged; e += 4 * threads)
            {
                StageA<T, TOps, TProblem>(p, sa, e, tile, b, m0, k0, M, K, aAlongK);
                StageA<T, TOps, TProblem>(p, sa, e + threads, tile, b, m0, k0, M, K, aAlongK);
                StageA<T, TOps, TProblem>(p, sa, e + 2 * threads, tile, b, m0, k0, M, K, aAlongK);
                StageA<T, TOps, TProblem>(p, sa, e + 3 * threads, tile, b, m0, k0, M, K, aAlongK);
                StageB<T, TOps, TProblem>(p, sb, e, tile, b, n0, k0, N, K, bAlongK);
                StageB<T, TOps, TProblem>(p, sb, e + threads, tile, b, n0, k0, N, K, bAlongK);
                StageB<T, TOps, TProblem>(p, sb, e + 2 * threads, tile, b, n0, k0, N, K, bAlongK);
                StageB<T, TOps, TProblem>(p, sb, e + 3 * threads, tile, b, n0, k0, N, K, bAlongK);
            }
            Group.Barrier();
            // 16 steps, unrolled 4× (ILGPU does not unroll loops itself)
            for (int k = 0; k < Depth; k += 4)
            {
                acc.Step(ops, sa, sb, k * Pitch + ty, k * Pitch + tx, R);
                acc.Step(ops, sa, sb, (k + 1) * Pitch + ty, (k + 1) * Pitch + tx, R);
                acc.Step(ops, sa, sb, (k + 2) * Pitch + ty, (k + 2) * Pitch + tx, R);
                acc.Step(ops, sa, sb, (k + 3) * Pitch + ty, (k + 3) * Pitch + tx, R);
            }
            Group.Barrier();
        }
        acc.Store<TProblem>(p, b, m0 + ty, n0 + tx, R, M, N);
    }

    /// <summary>Stages element e of the tile×16 A tile: k-fastest or m-fastest, whichever is contiguous in memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StageA<T, TOps, TProblem>(TProblem p, ArrayView<T> sa, int e, int tile, int b, int m0, int k0, int M, int K, bool alongK)
        where T : unmanaged where TOps : struct, IFloatOps<T> where TProblem : struct, IGemmProblem<T>
    {
        int kk = alongK ? e % Depth : e / tile;
        int mm = alongK ? e / Depth : e % tile;
        int m = m0 + mm, k = k0 + kk;
        sa[kk * Pitch + mm] = m < M && k < K ? p.LoadA(b, m, k) : default(TOps).Zero;
    }

    /// <summary>Stages element e of the 16×tile B tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StageB<T, TOps, TProblem>(TProblem p, ArrayView<T> sb, int e, int tile, int b, int n0, int k0, int N, int K, bool alongK)
        where T : unmanaged where TOps : struct, IFloatOps<T> where TProblem : struct, IGemmProblem<T>
    {
        int kk = alongK ? e % Depth : e / tile;
        int nn = alongK ? e / Depth : e % tile;
        int n = n0 + nn, k = k0 + kk;
        sb[kk * Pitch + nn] = n < N && k < K ? p.LoadB(b, k, n) : default(TOps).Zero;
    }
}
