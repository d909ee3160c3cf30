using NativeCam.Cam.Images;
using NativeCam.Cam.Methods;
using NativeCam.Cam.Probe;
using NativeCam.Engine;
using NativeCam.Engine.Graph;
using NativeCam.Importers.Onnx;
using NativeCam.Kernels;

namespace NativeCam.Cam.Tests.Methods;

/// <summary>FEM, KPCA-CAM (and its eigen-solver), Seg-Eigen-CAM and SobelCAM against plain float64 loops and closed forms.</summary>
public class ActivationMethodTests
{
    private static readonly Model Model = SmallCnn.Load(new OnnxImportOptions { DType = DType.Float64 });
    private static readonly Tensor X = Tensor.Uniform([2, 3, 16, 16], 41, -2, 2, DType.Float64);

    private static (LayerProbe Probe, ProbeResult Result, CamContext Context) Probe(CamFamilyParameters? p = null)
    {
        var probe = new LayerProbe(Model.ForBatch(2));
        var r = probe.Run(X, [SmallCnn.Target], Utility.Rest, withHvp: false);
        return (probe, r, new CamContext(probe, X, r, Utility.Rest, Parameters: new MethodParameters { CamFamily = p ?? new() }));
    }

    private static double[] Image(Tensor maps, int n)
    {
        int plane = maps.Shape[1] * maps.Shape[2];
        return maps.ToArray().AsSpan(n * plane, plane).ToArray();
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(0.5)]
    [InlineData(0.0)]
    public void FemWeightsEachChannelByTheShareAboveItsKSigmaThreshold(double k)
    {
        var (_, r, ctx) = Probe(new CamFamilyParameters { K = k });
        var maps = new Fem().Compute(r.Layers[0], ctx);
        for (int n = 0; n < 2; n++)
        {
            var s = Reference.Of(r.Layers[0], n);
            var w = s.A.Select(plane =>
            {
                double mean = plane.Average();
                double std = Math.Sqrt(plane.Select(v => (v - mean) * (v - mean)).Average());
                return plane.Count(v => v > mean + k * std) / (double)plane.Length;
            }).ToArray();
            Assert.Contains(w, v => v > 0);
            var expected = Reference.ChannelSum(Reference.Weighted(w, s.A));
            Assert.True(Reference.RelErr(Image(maps, n), expected) < 1e-12, $"image {n}");
        }
    }

    [Fact]
    public void SymmetricEigenMatchesJacobi()
    {
        var rng = new Random(7);
        foreach (int n in new[] { 1, 2, 3, 7, 16, 33 })
        {
            var a = new double[n * n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = 2 * rng.NextDouble() - 1;
            Check(a, n);
        }
        // repeated eigenvalues and a zero block
        Check([2, 0, 0, 0, 2, 0, 0, 0, 0], 3);
        Check(new double[16], 4);

        static void Check(double[] a, int n)
        {
            var (values, vectors) = SymmetricEigen.Decompose(a, n);
            var m = new double[n, n];
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i, j] = a[i * n + j];
            var expected = Reference.Jacobi(m).Values.Order().ToArray();
            for (int i = 0; i < n; i++) Assert.True(Math.Abs(values[i] - expected[i]) < 1e-10, $"n = {n}: λ{i} {values[i]} vs {expected[i]}");
            for (int j = 0; j < n; j++)
            {
                for (int i = 0; i < n; i++)
                {
                    double av = 0;
                    for (int k = 0; k < n; k++) av += a[i * n + k] * vectors[k][j];
                    Assert.True(Math.Abs(av - values[j] * vectors[i][j]) < 1e-10, $"n = {n}: A·v ≠ λ·v for vector {j}");
                }
                for (int l = 0; l < n; l++)
                {
                    double dot = 0;
                    for (int k = 0; k < n; k++) dot += vectors[k][j] * vectors[k][l];
                    Assert.True(Math.Abs(dot - (j == l ? 1 : 0)) < 1e-10, $"n = {n}: vectors {j}, {l} not orthonormal");
                }
            }
        }
    }

    /// <summary>scikit-learn's KernelPCA(n_components = 1) written out: kernel, double centring with the
    /// 1/n matrix, Jacobi eigenpairs, the largest-|·| entry positive, u·√λ.</summary>
    private static double[] KernelPcaByHand(double[][] a, KpcaKernel kernel)
    {
        int c = a.Length, p = a[0].Length;
        var x = a.Select(col => { double m = col.Average(); return col.Select(v => v - m).ToArray(); }).ToArray();
        double Dot(int i, int j) { double s = 0; for (int k = 0; k < c; k++) s += x[k][i] * x[k][j]; return s; }
        var kmat = new double[p, p];
        for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++)
            {
                double d2 = 0;
                for (int k = 0; k < c; k++) d2 += (x[k][i] - x[k][j]) * (x[k][i] - x[k][j]);
                kmat[i, j] = kernel switch
                {
                    KpcaKernel.Rbf => Math.Exp(-d2 / c),
                    KpcaKernel.Sigmoid => Math.Tanh(Dot(i, j) / c + 1),
                    _ => Dot(i, j) / Math.Sqrt(Dot(i, i) * Dot(j, j)),
                };
            }
        // Kc = K − 1K − K1 + 1K1 with 1 = (1/p)·ones
        var one = 1.0 / p;
        var oneK = new double[p, p]; var kOne = new double[p, p];
        for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++)
                for (int k = 0; k < p; k++) { oneK[i, j] += one * kmat[k, j]; kOne[i, j] += kmat[i, k] * one; }
        var kc = new double[p, p];
        for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++)
            {
                double oko = 0;
                for (int k = 0; k < p; k++) oko += oneK[i, k] * one;
                kc[i, j] = kmat[i, j] - oneK[i, j] - kOne[i, j] + oko;
            }
        var (values, vectors) = Reference.Jacobi(kc);
        int top = Array.IndexOf(values, values.Max());
        var u = Enumerable.Range(0, p).Select(i => vectors[i, top]).ToArray();
        double big = u.MaxBy(Math.Abs);
        return u.Select(v => Math.Sign(big) * Math.Sqrt(values[top]) * v).ToArray();
    }

    [Theory]
    [InlineData(KpcaKernel.Rbf)]
    [InlineData(KpcaKernel.Sigmoid)]
    [InlineData(KpcaKernel.Cosine)]
    public void KpcaCamIsTheFirstKernelPrincipalComponent(KpcaKernel kernel)
    {
        var (_, r, ctx) = Probe(new CamFamilyParameters { Kernel = kernel });
        var maps = new KpcaCam().Compute(r.Layers[0], ctx);
        for (int n = 0; n < 2; n++)
        {
            var expected = KernelPcaByHand(Reference.Of(r.Layers[0], n).A, kernel);
            Assert.True(Reference.RelErr(Image(maps, n), expected) < 1e-8, $"{kernel}, image {n}: {Reference.RelErr(Image(maps, n), expected):g3}");
        }
    }

    [Fact]
    public void SegEigenCamProjectsGTimesAWithTheSignCorrected()
    {
        var (_, r, ctx) = Probe();
        var maps = new SegEigenCam().Compute(r.Layers[0], ctx);
        int flipped = 0;
        for (int n = 0; n < 2; n++)
        {
            var s = Reference.Of(r.Layers[0], n);
            var p = Reference.Projection(s.A.Select((plane, k) => plane.Select((v, q) => v * s.G[k][q]).ToArray()).ToArray());
            if (Math.Abs(p.Min()) > Math.Abs(p.Max())) { p = p.Select(v => -v).ToArray(); flipped++; }
            var actual = Image(maps, n);
            Assert.True(Math.Abs(actual.Min()) <= Math.Abs(actual.Max()));
            Assert.True(Reference.RelErr(actual, p) < 1e-8, $"image {n}");
        }
    }

    /// <summary>An input normalised from a grey 8-bit picture (R = G = B = v, so OpenCV's grey is v).</summary>
    private static Tensor GreyInput(Func<int, int, int> v, int h, int w)
    {
        var px = new byte[h * w * 3];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
                for (int c = 0; c < 3; c++) px[(i * w + j) * 3 + c] = (byte)v(i, j);
        return Tensor.FromArray(ImageNetPreprocessor.Normalize(new RgbImage(w, h, px)), [1, 3, h, w]);
    }

    [Fact]
    public void SobelCamClosedForms()
    {
        var probe = new LayerProbe(Model);
        double[] Sobel(Tensor x)
        {
            var r = probe.Run(Tensor.FromDoubles(x.ToArray(), x.Shape, DType.Float64), [SmallCnn.Target], Utility.Rest, withHvp: false);
            return new SobelCam().Compute(r.Layers[0], new CamContext(probe, x, r, Utility.Rest)).ToArray();
        }
        // a vertical step 0 | 200: |Gx| = 800 saturates to 255, Gy = 0, so round(127.5) = 128 (ties to even) on the two edge columns
        var step = Sobel(GreyInput((i, j) => j < 8 ? 0 : 200, 16, 16));
        for (int i = 0; i < 16; i++)
            for (int j = 0; j < 16; j++) Assert.Equal(j is 7 or 8 ? 128 : 0, step[i * 16 + j]);
        // a ramp 10·(i + j): Gx = Gy = 80 inside; on the border reflect-101 mirrors the ramp, so that derivative is 0
        var ramp = Sobel(GreyInput((i, j) => 7 * (i + j), 16, 16));
        for (int i = 0; i < 16; i++)
            for (int j = 0; j < 16; j++)
            {
                double gx = j is 0 or 15 ? 0 : 56, gy = i is 0 or 15 ? 0 : 56;
                Assert.Equal(Math.Round(0.5 * gx + 0.5 * gy, MidpointRounding.ToEven), ramp[i * 16 + j]);
            }
    }
}
