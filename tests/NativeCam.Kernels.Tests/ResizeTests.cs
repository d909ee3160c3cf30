using NativeCam.Kernels.Tests.Reference;

namespace NativeCam.Kernels.Tests;

/// <summary>Bilinear resize (OpenCV INTER_LINEAR) and its adjoint against the float64 reference, on every backend.</summary>
public class ResizeTests
{
    private static readonly DType[] Types = [DType.Float32, DType.Float64];

    private static IEnumerable<ResizeParams> Cases()
    {
        yield return new(2, 7, 7, 224, 224);
        yield return new(2, 224, 224, 7, 7);
        yield return new(3, 5, 5, 3, 3);
        yield return new(2, 3, 5, 8, 11);
        yield return new(2, 1, 1, 4, 4);
        yield return new(1, 1, 7, 4, 13);
        yield return new(3, 13, 17, 13, 17);
        yield return new(2, 17, 33, 9, 70);
        yield return new(1, 6, 40, 33, 17);
        // aligned corners (ScoreCAM's masks): up, down, odd sizes, a single row or column in or out
        yield return new(2, 7, 7, 224, 224, AlignCorners: true);
        yield return new(2, 3, 5, 8, 11, AlignCorners: true);
        yield return new(2, 17, 33, 9, 70, AlignCorners: true);
        yield return new(1, 1, 7, 4, 13, AlignCorners: true);
        yield return new(2, 5, 6, 1, 3, AlignCorners: true);
        yield return new(3, 13, 17, 13, 17, AlignCorners: true);
    }

    // references are backend-independent: compute each once per test run
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(ResizeParams, int), (double[] Y, double[] Dx)> Expected = new();

    private static int InLen(ResizeParams p) => p.Planes * p.InH * p.InW;
    private static int OutLen(ResizeParams p) => p.Planes * p.OutH * p.OutW;

    private static double[] Forward(IKernels k, ResizeParams p, double[] xs, DType t)
    {
        using var x = Backends.Upload(k, xs, t);
        using var y = k.Allocate(t, OutLen(p));
        k.ResizeBilinear(p, x, y);
        return Backends.Download(k, y);
    }

    private static double[] Backward(IKernels k, ResizeParams p, double[] dys, DType t)
    {
        using var dy = Backends.Upload(k, dys, t);
        using var dx = k.Allocate(t, InLen(p));
        k.Fill(dx, 999); // written, not accumulated
        k.ResizeBilinearBackward(p, dy, dx);
        return Backends.Download(k, dx);
    }

    [Theory, MemberData(nameof(SimdPaths.Names), MemberType = typeof(SimdPaths))]
    public void MatchesReference(string backend)
    {
        using var k = SimdPaths.Create(backend);
        int seed = 1;
        foreach (var p in Cases())
            foreach (var t in Types)
            {
                var xs = Backends.Random(InLen(p), seed++);
                var dys = Backends.Random(OutLen(p), seed++);
                var (ey, edx) = Expected.GetOrAdd((p, seed), _ => (ResizeReference.Resize(p, xs), ResizeReference.Backward(p, dys)));
                double tol = Backends.Tol(t, 4);
                Backends.AssertClose(ey, Forward(k, p, xs, t), tol, tol, $"resize {p} {t}");
                // each dx sums up to ~2·out/in dy terms
                double btol = Backends.Tol(t, 4 * (p.OutH / p.InH + 1) * (p.OutW / p.InW + 1));
                var dxs = Backward(k, p, dys, t);
                Backends.AssertClose(edx, dxs, btol, btol, $"resize backward {p} {t}");
                // ⟨dy, R x⟩ = ⟨Rᵀ dy, x⟩
                var ys = Forward(k, p, xs, t);
                double lhs = dys.Zip(ys, (a, b) => a * b).Sum(), rhs = dxs.Zip(xs, (a, b) => a * b).Sum();
                Assert.True(Math.Abs(lhs - rhs) <= btol * (1 + Math.Sqrt(dys.Length)) * 4, $"⟨dy, Rx⟩ = {lhs} but ⟨Rᵀdy, x⟩ = {rhs} for {p} {t}");
            }
    }

    [Theory, MemberData(nameof(SimdPaths.Names), MemberType = typeof(SimdPaths))]
    public void HandComputedCases(string backend)
    {
        using var k = SimdPaths.Create(backend);
        foreach (var t in Types)
        {
            // [0, 1] → 4: src = −0.25 (clamped to 0), 0.25, 0.75, 1.25 (i0 = 1 = i1)
            Backends.AssertClose([0, 0.25, 0.75, 1], Forward(k, new(1, 1, 2, 1, 4), [0, 1], t), 0, 1e-7, $"[0,1]→4 {t}");
            // 4 → 2: src = 0.5, 2.5 (no antialiasing)
            Backends.AssertClose([1.5, 3.5], Forward(k, new(1, 1, 4, 1, 2), [1, 2, 3, 4], t), 0, 1e-7, $"4→2 {t}");
            // rows too: [[0, 1], [2, 3]] → 2×4 replicates rows at the border and blends columns
            Backends.AssertClose([0, 0.25, 0.75, 1, 2, 2.25, 2.75, 3], Forward(k, new(1, 2, 2, 2, 4), [0, 1, 2, 3], t), 0, 1e-7, $"2×2→2×4 {t}");
            // adjoint of [0, 1] → 4: column sums of R = [[1,0],[.75,.25],[.25,.75],[0,1]]
            Backends.AssertClose([2, 2], Backward(k, new(1, 1, 2, 1, 4), [1, 1, 1, 1], t), 0, 1e-7, $"adjoint 2→4 {t}");
            // identity size is the identity
            var xs = Backends.Random(3 * 13 * 17, 5);
            var xr = xs.Select(v => t == DType.Float32 ? (float)v : v).ToArray();
            Backends.AssertClose(xr, Forward(k, new(3, 13, 17, 13, 17), xs, t), 0, 0, $"identity {t}");
            Backends.AssertClose(xr, Backward(k, new(3, 13, 17, 13, 17), xs, t), 0, 0, $"identity adjoint {t}");
        }
    }

    [Fact]
    public void RejectsMismatchedLengths()
    {
        using var k = Backends.Create("cpu-scalar");
        using var x = k.Allocate(DType.Float32, 4);
        using var y = k.Allocate(DType.Float32, 5);
        Assert.Throws<ArgumentException>(() => k.ResizeBilinear(new ResizeParams(1, 2, 2, 2, 3), x, y));
    }
}
