using NativeCam.Engine.Ops;
using NativeCam.Kernels;
using static NativeCam.Engine.Tests.GradCheckAssert;

namespace NativeCam.Engine.Tests.Ops;

/// <summary>The dtype cast: values, and (float64 to float64, the case finite differences can check) its derivatives.</summary>
public class CastGradTests
{
    [Fact, ChecksOp(typeof(CastOp))]
    public void CastIsLinearWithTheCastBackAsAdjoint()
    {
        Passes(x => new CastOp(DType.Float64).Apply(x), Rand([2, 3, 5], 1));
        Passes(x => { var y = new CastOp(DType.Float64).Apply(x); return y * y.Exp(); }, Rand([3, 7], 2));
    }

    [Fact]
    public void Float32AndFloat64RoundTripTheValues()
    {
        var d = Rand([4, 9], 3);
        var f = d.ToDType(DType.Float32);
        Assert.Equal(DType.Float32, f.DType);
        Assert.Equal(d.ToArray().Select(v => (double)(float)v), f.ToArray());
        var back = f.ToDType(DType.Float64);
        Assert.Equal(DType.Float64, back.DType);
        Assert.Equal(f.ToArray(), back.ToArray());
        Assert.Same(back, back.ToDType(DType.Float64));
    }

    [Fact]
    public void ACotangentReturnsInTheInputsDtype()
    {
        var x = Rand([5], 4).ToDType(DType.Float32);
        var g = NativeCam.Engine.Autodiff.Ad.Grad(t => (t.ToDType(DType.Float64) * 3.0).Sum(), x);
        Assert.Equal(DType.Float32, g.DType);
        Assert.All(g.ToArray(), v => Assert.Equal(3.0, v));
    }

    [Fact]
    public void FloatArraysOfFloat64TensorsRoundEachValueToNearest()
    {
        // values between float32 neighbours, past its range, NaN, signed zero: each as the scalar conversion rounds it
        double[] v = [0.1, 1 + 1e-9, -1e300, 1e-46, double.NaN, -0.0, 16777217, 3.4028235e38 * 1.0000001, Math.PI, -2.5e-8];
        var values = Enumerable.Range(0, 37).Select(i => v[i % v.Length] * (i / v.Length + 1)).ToArray(); // past a vector's width
        var actual = Tensor.FromArray(values, [values.Length]).ToFloatArray();
        for (int i = 0; i < values.Length; i++)
            Assert.Equal(BitConverter.SingleToInt32Bits((float)values[i]), BitConverter.SingleToInt32Bits(actual[i]));
    }
}
