using System.Numerics;
using System.Runtime.CompilerServices;

namespace NativeCam.Kernels.Cpu.Gemm;

/// <summary>
/// The blocked GEMM loop nest (Goto/BLIS order): N blocks of NC → K blocks of KC → M blocks of MC (pack A) →
/// NR columns (pack B on the first M block) → MR rows → micro-kernel. Threads get disjoint slices of C (batch items, then column or
/// row slices), each packing its own panels, so there are no barriers.
/// </summary>
internal static unsafe class GemmDriver
{
    /// <summary>B panels packed together (one contiguous run of each B row feeds them all).</summary>
    public const int MaxPackPanels = 4;

    /// <summary>Up to this many B panels per thread, A is read in place instead of packed.</summary>
    private const int DirectAPanels = 16;

    /// <summary>K blocks up to this long run rows-outermost (<see cref="RowsOuter"/>).</summary>
    private const int RowsOuterMaxK = 64;

    /// <summary>Up to this many rows of C, a B that can be read in place is not packed: packing would read and write
    /// all of B for few uses of each element (a pointwise convolution to 16 or 24 channels).</summary>
    private const int InPlaceBMaxRows = 48;

    /// <summary>Packed B bytes one row-outer run covers (a share of L2 that leaves room for A and C lines).</summary>
    private const int RowsOuterBBytes = 192 << 10;

    /// <summary>Runs the job with the micro-kernel of <paramref name="simd"/>, on the threads of <paramref name="cpu"/>
    /// (null: inline on the calling thread).</summary>
    public static void Run<T, TS>(SimdLevel simd, CpuKernels? cpu, in GemmJob<T> job, in TS src)
        where T : unmanaged, IFloatingPointIeee754<T> where TS : struct, IGemmSource<T>
    {
        var j = job;
        j.Simd = simd;
        switch (simd)
        {
            case SimdLevel.Vector512: Run<T, MicroKernel512<T>, TS>(cpu, j, src); break;
            case SimdLevel.Vector256: Run<T, MicroKernel256<T>, TS>(cpu, j, src); break;
            default: Run<T, MicroKernelScalar<T>, TS>(cpu, j, src); break;
        }
    }

    private static void Run<T, TK, TS>(CpuKernels? cpu, GemmJob<T> job, TS src)
        where T : unmanaged, IFloatingPointIeee754<T> where TK : IMicroKernel<T> where TS : struct, IGemmSource<T>
    {
        if (job.Batch <= 0 || job.M <= 0 || job.N <= 0) return;
        int threads = cpu?.Threads ?? 1;
        int mTiles = (job.M + TK.MR - 1) / TK.MR, nTiles = (job.N + TK.NR - 1) / TK.NR;
        // slices per batch item so that the unit count is a multiple of the thread count
        int slices = threads / Gcd(job.Batch, threads);
        int mSlices = 1, nSlices = 1;
        if (slices > 1)
        {
            if (nTiles >= mTiles) nSlices = Math.Min(slices, nTiles);
            else mSlices = Math.Min(slices, mTiles);
        }
        int perBatch = mSlices * nSlices;
        int units = job.Batch * perBatch;
        if (cpu is null || units == 1)
        {
            for (int u = 0; u < units; u++) RunUnit<T, TK, TS>(job, src, u, perBatch, nSlices, mTiles, nTiles);
            return;
        }
        long work = 2L * job.M * job.N * Math.Max(1, job.K) * job.Batch;
        cpu.ParallelFor(units, work, u => RunUnit<T, TK, TS>(job, src, u, perBatch, nSlices, mTiles, nTiles));
    }

    private static int Gcd(int a, int b) { while (b != 0) (a, b) = (b, a % b); return a; }

    private static void RunUnit<T, TK, TS>(in GemmJob<T> job, in TS src, int unit, int perBatch, int nSlices, int mTiles, int nTiles)
        where T : unmanaged, IFloatingPointIeee754<T> where TK : IMicroKernel<T> where TS : struct, IGemmSource<T>
    {
        int batch = unit / perBatch, r = unit % perBatch, ms = r / nSlices, ns = r % nSlices, mSlices = perBatch / nSlices;
        int m0 = (int)((long)mTiles * ms / mSlices) * TK.MR, m1 = Math.Min(job.M, (int)((long)mTiles * (ms + 1) / mSlices) * TK.MR);
        int n0 = (int)((long)nTiles * ns / nSlices) * TK.NR, n1 = Math.Min(job.N, (int)((long)nTiles * (ns + 1) / nSlices) * TK.NR);
        if (m0 >= m1 || n0 >= n1) return;
        Block<T, TK, TS>(job, src, batch, m0, m1, n0, n1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block<T, TK, TS>(in GemmJob<T> job, in TS src, int batch, int m0, int m1, int n0, int n1)
        where T : unmanaged, IFloatingPointIeee754<T> where TK : IMicroKernel<T> where TS : struct, IGemmSource<T>
    {
        int MR = TK.MR, NR = TK.NR, KC = Math.Min(TK.KC, job.K), MC = TK.MC, NC = TK.NC;
        src.Locate(batch, out T* a, out T* c, out T* bias);
        nint ldc = job.Ldc;
        var st = new TileStore<T> { Alpha = job.Alpha, Residual = job.Residual, Lo = job.Act.Lo, Hi = job.Act.Hi };
        bool post = job.Act.IsPost;
        if (job.K == 0)
        {
            st.Beta = job.Beta; st.ReadC = job.Beta != T.Zero; st.Clamp = job.Act.Clamps; st.HasResidual = job.HasResidual; st.Bias = bias == null ? null : bias + m0;
            for (int i = m0; i < m1; i++)
            {
                for (int j = n0; j < n1; j++) c[i * ldc + j] = st.Apply(T.Zero, c + i * ldc + j, i - m0);
                if (post) job.Act.ApplyInPlace(job.Simd, c + i * ldc + n0, n1 - n0);
            }
            return;
        }
        int paddedRows = PrepackedA.PaddedRows(job.M, MR);
        // one packed A for all batch items, or one per item (stride ≠ 0), each PaddedRows·K long
        bool perItem = job.ConstantAStride != 0;
        T* prepacked = job.ConstantA is not T[] constantA ? null
            : PrepackedA.Get(constantA, job.M, job.K, job.Lda, job.TransA, MR, KC, perItem ? job.Batch : 1, job.ConstantAStride)
              + (perItem ? (long)batch * paddedRows * job.K : 0);
        T* abuf = prepacked != null ? null : PackBuffers<T>.A((long)MC * KC);
        T* bbuf = PackBuffers<T>.B((long)KC * ((Math.Min(NC, n1 - n0) + NR - 1) / NR * NR));
        T* tile = stackalloc T[MR * NR];
        var raw = TileStore<T>.Raw;
        int packWidth = src.PackPanels * NR;
        // B read in place: few rows of C, or only a column tail's worth of columns (a squeeze-excitation's 1×1 map)
        bool inPlaceB = (job.M <= InPlaceBMaxRows || ColumnTail.AppliesPacked<T>(MR, n1 - n0, Math.Min(KC, job.K)))
            && src.InPlaceB(batch, 0, out _, out _);
        bool directA = !inPlaceB && prepacked == null && !job.TransA && n1 - n0 <= DirectAPanels * NR;
        for (int jc = n0; jc < n1; jc += NC)
        {
            int nc = Math.Min(NC, n1 - jc);
            for (int pc = 0; pc < job.K; pc += KC)
            {
                int kc = Math.Min(KC, job.K - pc);
                bool first = pc == 0, last = pc + kc >= job.K;
                st.Beta = first ? job.Beta : T.One;
                st.ReadC = !first || job.Beta != T.Zero;
                st.Clamp = last && job.Act.Clamps;
                st.HasResidual = last && job.HasResidual;
                // vector paths apply other activations in the store of full tiles (the scalar path's formula
                // differs from the vector one, so it keeps the pass after the store)
                st.HasPost = last && post && job.Simd != SimdLevel.Scalar;
                st.Post = job.Act;
                for (int ic = m0; ic < m1; ic += MC)
                {
                    int mc = Math.Min(MC, m1 - ic);
                    // few B panels: packing A would cost about as much as using it, so full row tiles read A in place
                    // A's panels of this block: packed once for constant weights, else packed here
                    T* ap = prepacked != null ? prepacked + (long)pc * paddedRows + (long)ic * kc : abuf;
                    int packedRows = prepacked != null ? 0 : directA ? mc % MR : mc, packedFrom = mc - packedRows;
                    if (packedRows > 0) Packing.PackA(a, job.Lda, job.TransA, ic + packedFrom, packedRows, pc, kc, MR, abuf + packedFrom * kc);
                    // a short K block, or a B read in place (its runs stay in L2 for the block's few row tiles)
                    if (inPlaceB || kc <= RowsOuterMaxK && mc > MR)
                    {
                        RowsOuter<T, TK, TS>(job, src, st, last && bias != null ? bias + ic : null, batch, a, ap, bbuf, c, ldc, tile, raw, directA, inPlaceB,
                            packWidth, ic, mc, jc, nc, pc, kc, ic == m0, last, post);
                        continue;
                    }
                    for (int jr = 0; jr < nc; jr += NR)
                    {
                        int nr = Math.Min(NR, nc - jr);
                        T* bp = bbuf + jr * kc;
                        // B panels are packed during the first M block right before use: a few at a time (hot in L1/L2)
                        // for im2col, the whole block in one pass (long contiguous row reads) for dense B
                        if (ic == m0 && jr % packWidth == 0)
                            src.PackB(batch, pc, kc, jc + jr, Math.Min(packWidth, nc - jr), bp, NR);
                        for (int ir = 0; ir < mc; ir += MR)
                        {
                            st.Bias = last && bias != null ? bias + ic + ir : null;
                            Tile<T, TK>(job, st, a, ap, bp, NR, c + (ic + ir) * ldc + jc + jr, ldc, tile, raw, directA, ic + ir, ir, pc, kc,
                                Math.Min(MR, mc - ir), Math.Min(NR, nc - jr), last, post);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// With a short K a tile's k loop is brief and its stores dominate: column panels outermost would write one cache
    /// line in each of the block's MC rows per step (more streams than the hardware prefetcher follows, every line a
    /// cold read-for-ownership), so here the rows go outermost and each MR-row tile walks a run of columns, writing MR
    /// sequential streams. The run is as wide as keeps its B (kc × width) in L2. With <paramref name="inPlaceB"/> the
    /// full-width panels and a last panel of up to four columns read B where it lies; only a wider partial panel is
    /// packed (a one-column B packed into a 32-wide panel wrote 32 times its size: 41% of a 1152→48 matrix-vector
    /// product's time).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowsOuter<T, TK, TS>(in GemmJob<T> job, in TS src, TileStore<T> st, T* bias, int batch, T* a, T* ap, T* bbuf, T* c, nint ldc,
        T* tile, in TileStore<T> raw, bool directA, bool inPlaceB, int packWidth, int ic, int mc, int jc, int nc, int pc, int kc, bool packB, bool last, bool post)
        where T : unmanaged, IFloatingPointIeee754<T> where TK : IMicroKernel<T> where TS : struct, IGemmSource<T>
    {
        int MR = TK.MR, NR = TK.NR;
        T* b = null;
        nint ldb = NR;
        if (inPlaceB) src.InPlaceB(batch, pc, out b, out ldb);
        int full = inPlaceB ? nc / NR * NR : 0; // columns read in place
        // a last panel of at most four columns goes to the column tail, which reads B where it lies as well
        if (inPlaceB && full < nc && ColumnTail.AppliesPacked<T>(MR, nc - full, kc)) full = nc;
        int run = Math.Max(NR, RowsOuterBBytes / (kc * sizeof(T)) / NR * NR);
        for (int j0 = 0; j0 < nc; j0 += run)
        {
            int w = Math.Min(run, nc - j0);
            if (packB)
                for (int jr = Math.Max(j0, full); jr < j0 + w; jr += packWidth) src.PackB(batch, pc, kc, jc + jr, Math.Min(packWidth, j0 + w - jr), bbuf + jr * kc, NR);
            for (int ir = 0; ir < mc; ir += MR)
            {
                st.Bias = bias == null ? null : bias + ir;
                int mr = Math.Min(MR, mc - ir);
                for (int jr = j0; jr < j0 + w; jr += NR)
                {
                    bool here = jr < full;
                    Tile<T, TK>(job, st, a, ap, here ? b + jc + jr : bbuf + jr * kc, here ? ldb : NR, c + (ic + ir) * ldc + jc + jr, ldc, tile, raw,
                        directA, ic + ir, ir, pc, kc, mr, Math.Min(NR, nc - jr), last, post);
                }
            }
        }
    }

    /// <summary>One MR × NR tile of C (an edge tile through scratch), then any activation the store did not apply. B's
    /// rows are <paramref name="ldb"/> apart (NR: packed); a panel short of columns is packed unless the column tail
    /// takes it (<see cref="ColumnTail.AppliesPacked{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile<T, TK>(in GemmJob<T> job, in TileStore<T> st, T* a, T* ap, T* bp, nint ldb, T* cp, nint ldc, T* tile, in TileStore<T> raw,
        bool directA, int row, int ir, int pc, int kc, int mr, int nr, bool last, bool post)
        where T : unmanaged, IFloatingPointIeee754<T> where TK : IMicroKernel<T>
    {
        int MR = TK.MR, NR = TK.NR;
        if (mr == MR && nr == NR)
        {
            if (directA) TK.RunStrided(kc, a + row * job.Lda + pc, job.Lda, bp, cp, ldc, st);
            else TK.RunB(kc, ap + ir * kc, bp, ldb, cp, ldc, st);
        }
        else
        {
            // edge tile: full tile into scratch, then the valid part through the store rule
            bool inPlace = directA && mr == MR;
            if (!inPlace && ColumnTail.AppliesPacked<T>(MR, nr, kc)) ColumnTail.Run(MR, kc, (float*)(ap + ir * kc), (float*)bp, ldb, nr, (float*)tile, NR);
            else if (2 * nr <= NR) TK.RunHalf(kc, inPlace ? a + row * job.Lda + pc : ap + ir * kc, inPlace ? job.Lda : 0, bp, tile);
            else if (ColumnTail.Applies<T>(MR, nr - NR / 2, kc))
            {
                // a half panel and one or two columns (49 = 32 + 16 + 1): not a full tile of which a third is waste
                float* bt = (float*)(bp + NR / 2), tt = (float*)tile + NR / 2;
                if (inPlace)
                {
                    T* at = a + row * job.Lda + pc;
                    TK.RunHalf(kc, at, job.Lda, bp, tile);
                    ColumnTail.RunInPlace(MR, kc, (float*)at, job.Lda, bt, ldb, nr - NR / 2, tt, NR);
                }
                else if (nr - NR / 2 > 1 || ldb != NR || !TK.TryRunHalfAndColumn(kc, ap + ir * kc, bp, tile))
                {
                    TK.RunHalf(kc, ap + ir * kc, 0, bp, tile);
                    ColumnTail.Run(MR, kc, (float*)(ap + ir * kc), bt, ldb, nr - NR / 2, tt, NR);
                }
            }
            else if (inPlace) TK.RunStrided(kc, a + row * job.Lda + pc, job.Lda, bp, tile, NR, raw);
            else TK.RunB(kc, ap + ir * kc, bp, ldb, tile, NR, raw);
            if (nr == NR) TK.StoreRows(tile, mr, cp, ldc, st);
            else
            {
                // whole vectors as a full tile stores them (its activation, if any, runs over the tile below), the
                // last columns one by one (a 7×7 map's 17-column edge tile: 16 in one vector store, 1 alone)
                var vectors = st;
                vectors.HasPost = false;
                int left = TK.StoreLeft(tile, mr, nr, cp, ldc, vectors);
                for (int i = 0; i < mr; i++)
                    for (int j = left; j < nr; j++)
                        cp[i * ldc + j] = st.Apply(tile[i * NR + j], cp + i * ldc + j, i);
            }
        }
        // other activations not applied in the store run over the finished tile while it is in L1
        if (last && post && !(nr == NR && st.HasPost)) job.Act.ApplyTile(job.Simd, cp, ldc, mr, nr);
    }
}
