using System.Buffers.Binary;
using System.IO.Compression;
using System.Reflection;
using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using Onnx;
using Tensor = NativeCam.Engine.Tensor;

namespace NativeCam.Importers.Tests;

/// <summary>
/// The ML.NET ResNet18 featurizer (NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1): a CNTK 2.6 export with
/// IR 3, opset 8, asymmetric pads on the strided convs, unfolded
/// BatchNormalization, MaxPool and AveragePool. Compared with ONNX Runtime on a seeded input and on a photo.
/// </summary>
public class ResNet18FeaturizerTests
{
    private static readonly int[] InputShape = [1, 3, 224, 224];

    // features are post-ReLU averages of order 0..10 (many exactly or nearly 0); float32 accumulation order differs
    // between the engine's convolutions and ORT's, so near-zero features need an absolute floor next to the 1e-4
    // relative. Measured: max |Δ| ≈ 5e-6, max relative ≈ 2e-5 where |ort| > 1e-2.
    private const double Rtol = 1e-4, Atol = 1e-5;

    /// <summary>The model file in the restored package (copied to the test output by the package's build props).</summary>
    public static string ModelPath()
    {
        const string rel = "DnnImageModels/ResNet18Onnx/ResNet18.onnx";
        var candidates = new List<string> { Path.Combine(AppContext.BaseDirectory, rel) };
        var root = typeof(ResNet18FeaturizerTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ResNet18PackageRoot")?.Value;
        if (!string.IsNullOrEmpty(root)) candidates.Add(Path.Combine(root, "tools", rel));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"ResNet18.onnx not found (looked in {string.Join(", ", candidates)}); restore the test project");
    }

    [Fact]
    public void ModelHasTheExpectedLegacyTraits()
    {
        var m = ModelProto.Parser.ParseFrom(File.ReadAllBytes(ModelPath()));
        Assert.Equal(3, m.IrVersion);
        Assert.Equal(8, m.OpsetImport.Single(o => o.Domain is "" or "ai.onnx").Version);
        // this file lists only the data input (IR 3 would allow the initializers there too; BadInput tests cover that)
        Assert.Equal("Input247", m.Graph.Input.Single().Name);
        Assert.Equal(110, m.Graph.Initializer.Count);
        Assert.Contains(m.Graph.Node, n => n.OpType == "Conv" && n.Attribute.Any(a => a.Name == "pads" && a.Ints[0] != a.Ints[2]));
        Assert.Equal(22, m.Graph.Node.Count(n => n.OpType == "BatchNormalization"));
    }

    [Fact]
    public void FeaturesMatchOrtOnSeededInput()
    {
        var input = OrtPeer.RandomInput(InputShape, seed: 7, lo: 0, hi: 255);
        var model = OnnxModel.Load(ModelPath());
        Assert.Equal(InputShape, model.InputShape);
        Compare(model, input, "seeded");
    }

    [Fact]
    public void FeaturesMatchOrtOnPhoto()
    {
        var model = OnnxModel.Load(ModelPath());
        Compare(model, PhotoTensor("coffee.png"), "coffee.png");
    }

    private static void Compare(OnnxModel model, float[] input, string what)
    {
        var (expected, shape) = OrtPeer.Run(ModelPath(), input, InputShape);
        Assert.Equal([1, 512, 1, 1], shape);
        var ours = model.Run(Tensor.FromArray(input, InputShape));
        Assert.Equal(shape, ours.Shape);
        var actual = ours.ToFloatArray();
        double worstRel = 0, worstAbs = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double err = Math.Abs(actual[i] - expected[i]);
            worstAbs = Math.Max(worstAbs, err);
            if (Math.Abs(expected[i]) > 1e-2) worstRel = Math.Max(worstRel, err / Math.Abs(expected[i]));
            if (!(err <= Atol + Rtol * Math.Abs(expected[i])))
                Assert.Fail($"{what}: feature {i} is {actual[i]}, ORT gives {expected[i]} (rtol {Rtol}, atol {Atol})");
        }
        Console.WriteLine($"ResNet18 {what}: max |Δ| {worstAbs:E2}, max relative {worstRel:E2} (|ort| > 1e-2), max |ort| {expected.Max(Math.Abs):F3}");
        Assert.True(expected.Any(v => v > 0.1f), "the features are not all near zero");
    }

    /// <summary>
    /// A photo as the featurizer's input: centre square, resized to 224 (area average), RGB 0..255 minus a flat
    /// per-channel mean (ResNetPreprocess.onnx subtracts a mean image; a flat mean is a realistic stand-in).
    /// </summary>
    private static float[] PhotoTensor(string name)
    {
        var (w, h, rgb) = DecodePng(Path.Combine(FindPhotos(), name));
        int side = Math.Min(w, h), x0 = (w - side) / 2, y0 = (h - side) / 2;
        const int n = 224;
        float[] mean = [123.68f, 116.78f, 103.94f];
        var t = new float[3 * n * n];
        for (int y = 0; y < n; y++)
        for (int x = 0; x < n; x++)
        {
            int ya = y0 + y * side / n, yb = Math.Max(ya + 1, y0 + (y + 1) * side / n);
            int xa = x0 + x * side / n, xb = Math.Max(xa + 1, x0 + (x + 1) * side / n);
            for (int c = 0; c < 3; c++)
            {
                double s = 0;
                for (int yy = ya; yy < yb; yy++)
                for (int xx = xa; xx < xb; xx++) s += rgb[(yy * w + xx) * 3 + c];
                t[c * n * n + y * n + x] = (float)(s / ((yb - ya) * (xb - xa))) - mean[c];
            }
        }
        return t;
    }

    private static string FindPhotos()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var p = Path.Combine(d.FullName, "shared", "images", "photos");
            if (Directory.Exists(p)) return p;
        }
        throw new DirectoryNotFoundException("shared/images/photos not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Decodes an 8-bit RGB or RGBA, non-interlaced PNG (enough for the shared photos).</summary>
    private static (int W, int H, byte[] Rgb) DecodePng(string path)
    {
        var b = File.ReadAllBytes(path);
        int pos = 8, w = 0, h = 0, colorType = 0;
        using var idat = new MemoryStream();
        while (pos < b.Length)
        {
            int len = BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(pos));
            string type = System.Text.Encoding.ASCII.GetString(b, pos + 4, 4);
            var data = b.AsSpan(pos + 8, len);
            if (type == "IHDR")
            {
                w = BinaryPrimitives.ReadInt32BigEndian(data);
                h = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                colorType = data[9];
                if (data[8] != 8 || (colorType != 2 && colorType != 6) || data[12] != 0)
                    throw new NotSupportedException($"{path}: only 8-bit RGB(A) non-interlaced PNGs");
            }
            else if (type == "IDAT") idat.Write(data);
            else if (type == "IEND") break;
            pos += 12 + len;
        }
        int bpp = colorType == 6 ? 4 : 3, stride = w * bpp;
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new byte[(stride + 1) * h];
        z.ReadExactly(raw);
        var cur = new byte[stride];
        var prev = new byte[stride];
        var rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
        {
            int filter = raw[y * (stride + 1)];
            for (int i = 0; i < stride; i++)
            {
                int v = raw[y * (stride + 1) + 1 + i];
                int a = i >= bpp ? cur[i - bpp] : 0, up = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
                v += filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => up,
                    3 => (a + up) / 2,
                    4 => Paeth(a, up, c),
                    _ => throw new InvalidDataException($"{path}: PNG filter {filter}"),
                };
                cur[i] = (byte)v;
            }
            for (int x = 0; x < w; x++)
                for (int ch = 0; ch < 3; ch++) rgb[(y * w + x) * 3 + ch] = cur[x * bpp + ch];
            (cur, prev) = (prev, cur);
        }
        return (w, h, rgb);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
