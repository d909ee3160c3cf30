using NativeCam.Engine.Ops;

namespace NativeCam.Engine;

public sealed partial class Tensor
{
    /// <summary>a + b with broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => new AddOp().Apply(a, b);

    /// <summary>a − b with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => new SubOp().Apply(a, b);

    /// <summary>a · b elementwise with broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => new MulOp().Apply(a, b);

    /// <summary>a / b elementwise with broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => new DivOp().Apply(a, b);

    /// <summary>−x.</summary>
    public static Tensor operator -(Tensor x) => new NegOp().Apply(x);

    /// <summary>x · s.</summary>
    public static Tensor operator *(Tensor x, double s) => x.Affine(s, 0);

    /// <summary>s · x.</summary>
    public static Tensor operator *(double s, Tensor x) => x.Affine(s, 0);

    /// <summary>x / s.</summary>
    public static Tensor operator /(Tensor x, double s) => x.Affine(1 / s, 0);

    /// <summary>s / x.</summary>
    public static Tensor operator /(double s, Tensor x) => x.ScalarLike(s) / x;

    /// <summary>x + s.</summary>
    public static Tensor operator +(Tensor x, double s) => x.Affine(1, s);

    /// <summary>s + x.</summary>
    public static Tensor operator +(double s, Tensor x) => x.Affine(1, s);

    /// <summary>x − s.</summary>
    public static Tensor operator -(Tensor x, double s) => x.Affine(1, -s);

    /// <summary>s − x.</summary>
    public static Tensor operator -(double s, Tensor x) => x.Affine(-1, s);

    /// <summary>αx + β.</summary>
    public Tensor Affine(double alpha, double beta) => new AffineOp(alpha, beta).Apply(this);

    /// <summary>eˣ.</summary>
    public Tensor Exp() => new ExpOp().Apply(this);
}
