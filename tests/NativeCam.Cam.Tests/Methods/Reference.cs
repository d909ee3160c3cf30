using NativeCam.Cam.Probe;

namespace NativeCam.Cam.Tests.Methods;

/// <summary>Straightforward implementations of shapleycam.md §3–§4 with plain double loops, as test oracles.</summary>
public static class Reference
{
    /// <summary>A, g, H·A of one image as [C][h·w].</summary>
    public sealed record Signals(double[][] A, double[][] G, double[][]? HA, int H, int W)
    {
        public int C => A.Length;
        public int P => H * W;
    }

    public static Signals Of(LayerSignals s, int image)
    {
        int c = s.Activations.Shape[1], h = s.Activations.Shape[2], w = s.Activations.Shape[3];
        double[][] Split(double[] v) => Enumerable.Range(0, c).Select(k => v.AsSpan((image * c + k) * h * w, h * w).ToArray()).ToArray();
        return new Signals(Split(s.Activations.ToArray()), Split(s.Gradients.ToArray()),
            s.HessianTimesActivations is { } ha ? Split(ha.ToArray()) : null, h, w);
    }

    /// <summary>Σ_k X_k for per-element contributions.</summary>
    public static double[] ChannelSum(double[][] x)
    {
        var m = new double[x[0].Length];
        foreach (var plane in x)
            for (int q = 0; q < m.Length; q++) m[q] += plane[q];
        return m;
    }

    public static double[][] Weighted(double[] w, double[][] a) => a.Select((p, k) => p.Select(v => w[k] * v).ToArray()).ToArray();

    /// <summary>The contributions X of a method (the map is Σ_k X_k).</summary>
    public static double[][] Contributions(string method, Signals s, int seed = 0)
    {
        var (a, g) = (s.A, s.G);
        int c = s.C, p = s.P;
        double[][] Elem(Func<int, int, double> f) => Enumerable.Range(0, c).Select(k => Enumerable.Range(0, p).Select(q => f(k, q)).ToArray()).ToArray();
        double Sh(int k, int q) => g[k][q] - 0.5 * s.HA![k][q];
        switch (method)
        {
            case "gradcam":
                return Weighted(Enumerable.Range(0, c).Select(k => g[k].Average()).ToArray(), a);
            case "hirescam":
                return Elem((k, q) => g[k][q] * a[k][q]);
            case "gradcam-elementwise":
                return Elem((k, q) => Math.Max(g[k][q] * a[k][q], 0));
            case "layercam":
                return Elem((k, q) => Math.Max(g[k][q], 0) * a[k][q]);
            case "xgradcam":
                {
                    var w = new double[c];
                    for (int k = 0; k < c; k++)
                    {
                        double num = 0, den = 0;
                        for (int q = 0; q < p; q++) { num += g[k][q] * a[k][q]; den += a[k][q]; }
                        w[k] = num / (den + 1e-7);
                    }
                    return Weighted(w, a);
                }
            case "gradcam++":
                {
                    var w = new double[c];
                    for (int k = 0; k < c; k++)
                    {
                        double sumA = a[k].Sum();
                        for (int q = 0; q < p; q++)
                        {
                            double gv = g[k][q];
                            double alpha = gv == 0 ? 0 : gv * gv / (2 * gv * gv + sumA * gv * gv * gv + 1e-6);
                            w[k] += alpha * Math.Max(gv, 0);
                        }
                    }
                    return Weighted(w, a);
                }
            case "shapleycam":
                return Weighted(Enumerable.Range(0, c).Select(k => Enumerable.Range(0, p).Average(q => Sh(k, q))).ToArray(), a);
            case "shapleycam-h":
                return Elem((k, q) => Sh(k, q) * a[k][q]);
            case "shapleycam-e":
                return Elem((k, q) => Math.Max(Sh(k, q) * a[k][q], 0));
            case "random":
                {
                    // image 0 of the run, first call: the seed (seed, 0, 0) derives
                    var rng = new Random(NativeCam.Cam.Methods.RandomCam.SeedOf(seed, 0, 0));
                    return Weighted(Enumerable.Range(0, c).Select(_ => 2 * rng.NextDouble() - 1).ToArray(), a);
                }
            default: throw new ArgumentException(method);
        }
    }

    /// <summary>Raw map (before ReLU) of a gradient-family method.</summary>
    public static double[] Map(string method, Signals s, int seed = 0) => method switch
    {
        "eigencam" => Projection(s.A),
        "eigengradcam" => Projection(s.A.Select((p, k) => p.Select((v, q) => v * s.G[k][q]).ToArray()).ToArray()),
        _ => ChannelSum(Contributions(method, s, seed)),
    };

    /// <summary>
    /// Projection of X (hw×C, columns centred) on its first right singular vector, from a cyclic Jacobi
    /// eigendecomposition of the hw×hw matrix X̃X̃ᵀ: p = X̃v = σu; sign so that Σ_k v_k &gt; 0.
    /// </summary>
    public static double[] Projection(double[][] x)
    {
        int c = x.Length, p = x[0].Length;
        var xc = x.Select(col => { double m = col.Average(); return col.Select(v => v - m).ToArray(); }).ToArray();
        var gram = new double[p, p];
        for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++)
                for (int k = 0; k < c; k++) gram[i, j] += xc[k][i] * xc[k][j];
        var (values, vectors) = Jacobi(gram);
        int top = Array.IndexOf(values, values.Max());
        var u = Enumerable.Range(0, p).Select(i => vectors[i, top]).ToArray();
        double sigma = Math.Sqrt(Math.Max(values[top], 0));
        // v = X̃ᵀu/σ; Σ_k v_k = Σ_k Σ_i xc[k][i]·u[i] / σ
        double sumV = 0;
        for (int k = 0; k < c; k++)
            for (int i = 0; i < p; i++) sumV += xc[k][i] * u[i];
        double sign = sumV < 0 ? -1 : 1;
        return u.Select(v => sign * sigma * v).ToArray();
    }

    /// <summary>Eigenvalues and eigenvectors (columns) of a symmetric matrix by cyclic Jacobi rotations.</summary>
    public static (double[] Values, double[,] Vectors) Jacobi(double[,] m)
    {
        int n = m.GetLength(0);
        var a = (double[,])m.Clone();
        var v = new double[n, n];
        for (int i = 0; i < n; i++) v[i, i] = 1;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) off += a[i, j] * a[i, j];
            if (off < 1e-30) break;
            for (int pp = 0; pp < n; pp++)
                for (int q = pp + 1; q < n; q++)
                {
                    if (Math.Abs(a[pp, q]) < 1e-300) continue;
                    double theta = (a[q, q] - a[pp, pp]) / (2 * a[pp, q]);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double cs = 1 / Math.Sqrt(t * t + 1), sn = t * cs;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k, pp], akq = a[k, q];
                        a[k, pp] = cs * akp - sn * akq;
                        a[k, q] = sn * akp + cs * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[pp, k], aqk = a[q, k];
                        a[pp, k] = cs * apk - sn * aqk;
                        a[q, k] = sn * apk + cs * aqk;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v[k, pp], vkq = v[k, q];
                        v[k, pp] = cs * vkp - sn * vkq;
                        v[k, q] = sn * vkp + cs * vkq;
                    }
                }
        }
        return (Enumerable.Range(0, n).Select(i => a[i, i]).ToArray(), v);
    }

    /// <summary>OpenCV INTER_LINEAR: src = (dst + 0.5)·in/out − 0.5, clamped to the border (replicate).</summary>
    public static double[] ResizeLinear(double[] img, int h, int w, int oh, int ow)
    {
        var r = new double[oh * ow];
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                var (y0, y1, fy) = Tap(i, h, oh);
                var (x0, x1, fx) = Tap(j, w, ow);
                r[i * ow + j] = (1 - fy) * ((1 - fx) * img[y0 * w + x0] + fx * img[y0 * w + x1])
                              + fy * ((1 - fx) * img[y1 * w + x0] + fx * img[y1 * w + x1]);
            }
        return r;

        static (int, int, double) Tap(int d, int n, int outN)
        {
            double src = (d + 0.5) * n / outN - 0.5;
            if (src <= 0) return (0, 0, 0);
            if (src >= n - 1) return (n - 1, n - 1, 0);
            int i0 = (int)Math.Floor(src);
            return (i0, i0 + 1, src - i0);
        }
    }

    /// <summary>PyTorch bilinear with align_corners = True.</summary>
    public static double[] ResizeAlignCorners(double[] img, int h, int w, int oh, int ow)
    {
        var r = new double[oh * ow];
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                double sy = oh > 1 ? i * (h - 1.0) / (oh - 1) : 0, sx = ow > 1 ? j * (w - 1.0) / (ow - 1) : 0;
                int y0 = (int)sy, x0 = (int)sx, y1 = Math.Min(y0 + 1, h - 1), x1 = Math.Min(x0 + 1, w - 1);
                double fy = sy - y0, fx = sx - x0;
                r[i * ow + j] = (1 - fy) * ((1 - fx) * img[y0 * w + x0] + fx * img[y0 * w + x1])
                              + fy * ((1 - fx) * img[y1 * w + x0] + fx * img[y1 * w + x1]);
            }
        return r;
    }

    /// <summary>§4 for one image: per layer ReLU, min-max, resize; then ReLU, mean, min-max.</summary>
    public static double[] PostProcess(IReadOnlyList<(double[] Map, int H, int W)> layers, int oh, int ow)
    {
        var acc = new double[oh * ow];
        foreach (var (map, h, w) in layers)
        {
            var x = map.Select(v => Math.Max(v, 0)).ToArray();
            double mn = x.Min();
            x = x.Select(v => v - mn).ToArray();
            double mx = x.Max();
            x = x.Select(v => v / (1e-7 + mx)).ToArray();
            var up = ResizeLinear(x, h, w, oh, ow);
            for (int q = 0; q < acc.Length; q++) acc[q] += Math.Max(up[q], 0) / layers.Count;
        }
        double mn2 = acc.Min();
        acc = acc.Select(v => v - mn2).ToArray();
        double mx2 = acc.Max();
        return acc.Select(v => v / (1e-7 + mx2)).ToArray();
    }

    /// <summary>max |a − b| / max |b| (a relative error on the scale of b).</summary>
    public static double RelErr(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        Assert.Equal(b.Count, a.Count);
        double err = 0, scale = 1e-30;
        for (int i = 0; i < a.Count; i++) { err = Math.Max(err, Math.Abs(a[i] - b[i])); scale = Math.Max(scale, Math.Abs(b[i])); }
        return err / scale;
    }
}
