using System.Runtime.Intrinsics;
using NativeCam.Kernels.Cpu.Elementwise;

namespace NativeCam.Kernels.Tests;

/// <summary>The float32 vector exp (<see cref="ExpF32"/>) and SiLU (<see cref="SiluF32"/>) on both widths (Vector512
/// runs emulated where the processor lacks it) against float64 closed forms, across the whole range: subnormal
/// results, the overflow to +∞, infinities and NaN.</summary>
public class FastExpTests
{
    /// <summary>Dense sweep of [−110, 95] plus values at the edges of each branch.</summary>
    private static float[] Inputs()
    {
        var xs = new List<float>();
        for (double x = -110; x <= 95; x += 0.01173) xs.Add((float)x);
        xs.AddRange([0f, -0f, 1e-30f, -1e-30f, 88.72f, 88.73f, 89f, -87.33f, -87f, -88.5f, -103.9f, -104f, -104.5f, 88.5f,
            float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.MaxValue, float.MinValue, float.Epsilon]);
        while (xs.Count % 16 != 0) xs.Add(0.5f);
        return [.. xs];
    }

    private static (float[] Exp, float[] Silu) Run(float[] xs, bool wide)
    {
        var e = new float[xs.Length];
        var s = new float[xs.Length];
        int v = wide ? 16 : 8;
        for (int i = 0; i < xs.Length; i += v)
            if (wide)
            {
                var x = Vector512.Create(xs.AsSpan(i, 16));
                ExpF32.Exp(x).CopyTo(e.AsSpan(i));
                SiluF32.Silu(x).CopyTo(s.AsSpan(i));
            }
            else
            {
                var x = Vector256.Create(xs.AsSpan(i, 8));
                ExpF32.Exp(x).CopyTo(e.AsSpan(i));
                SiluF32.Silu(x).CopyTo(s.AsSpan(i));
            }
        return (e, s);
    }

    [Theory, InlineData(false), InlineData(true)]
    public void ExpWithinTwoUlpOverTheRange(bool wide)
    {
        var xs = Inputs();
        var (got, _) = Run(xs, wide);
        for (int i = 0; i < xs.Length; i++)
        {
            double want = Math.Exp(xs[i]);
            float g = got[i];
            string what = $"exp({xs[i]:R}) = {g:R}, expected {want:R}";
            if (double.IsNaN(want)) { Assert.True(float.IsNaN(g), what); continue; }
            if (want > float.MaxValue) { Assert.True(float.IsPositiveInfinity(g), what); continue; }
            // normal results within 2 ulp (2⁻²² relative); subnormal ones within 2 units of the smallest subnormal
            double tol = want >= 1.1754944e-38 ? 2.4e-7 * want : 2.9e-45;
            Assert.True(Math.Abs(g - want) <= tol, what);
        }
    }

    [Theory, InlineData(false), InlineData(true)]
    public void SiluMatchesTheClosedForm(bool wide)
    {
        var xs = Inputs();
        var (_, got) = Run(xs, wide);
        for (int i = 0; i < xs.Length; i++)
        {
            double x = xs[i];
            float g = got[i];
            string what = $"silu({xs[i]:R}) = {g:R}";
            if (double.IsNaN(x)) { Assert.True(float.IsNaN(g), what); continue; }
            if (double.IsPositiveInfinity(x)) { Assert.Equal(float.PositiveInfinity, g); continue; }
            // −∞/(1 + e^∞) is NaN in IEEE arithmetic, as the scalar formula gives
            if (double.IsNegativeInfinity(x)) { Assert.Equal(float.NegativeInfinity / (1 + MathF.Exp(float.PositiveInfinity)), g); continue; }
            // x·σ(x) in float64 without overflow: σ(x) = 1/(1 + e^−x) for x ≥ 0, e^x/(1 + e^x) below
            double want = x >= 0 ? x / (1 + Math.Exp(-x)) : x * Math.Exp(x) / (1 + Math.Exp(x));
            // a few ulp relative, or 1e-36 absolute where the argument clamp binds (|x| beyond 87)
            Assert.True(Math.Abs(g - want) <= 4.8e-7 * Math.Abs(want) + 1e-36, what);
        }
    }
}
