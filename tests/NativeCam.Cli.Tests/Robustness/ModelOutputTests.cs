using NativeCam.Cli.Tests.Support;
using NativeCam.Cam;
using NativeCam.Engine;
using NativeCam.Fuzz.Fuzzing;
using NativeCam.Importers.Onnx;

namespace NativeCam.Cli.Tests.Robustness;

/// <summary>
/// Regressions: a model whose output is a scalar (used to abort with IndexOutOfRangeException), outputs that are
/// not a classifier's (used to be explained as "class 5412", with probabilities summing past 1); binary
/// classifiers and --output-name.
/// </summary>
public class ModelOutputTests
{
    private static string Model(string name, byte[] bytes) => RobustPaths.Write(name, bytes);

    private static string Photo() => RobustPaths.Sample("chelsea.png");

    [Fact]
    public void ScalarOutputIsAClearErrorInEveryCommand()
    {
        var model = Model("scalar.onnx", RegressionInputs.ScalarOutputModel());
        foreach (var args in new[] { new[] { "classify", Photo() }, ["explain", Photo(), "--output", Tool.TempDir()], ["gradcheck"], ["bench", "--min-runs", "1", "--min-seconds", "0"] })
        {
            var (code, _, stderr) = Tool.Run([.. args, "--model", model]);
            Assert.Equal(1, code);
            Assert.Contains("output 'score' has shape [], which is not an image classifier's: expected logits [N, K]", stderr);
        }
        var e = Assert.Throws<ClassifierOutputException>(() => ClassifierOutput.Of(OnnxModel.Load(RegressionInputs.ScalarOutputModel(), "scalar.onnx")));
        Assert.Equal("score", e.OutputName);
        Assert.Empty(e.Shape!);
    }

    [Theory]
    [InlineData("feature-map", "[1, 8, 56, 56]")]
    [InlineData("image", "[1, 3, 224, 224]")]
    public void NonClassifierOutputsAreRefusedNamingTheShape(string kind, string shape)
    {
        var model = Model(kind + ".onnx", kind == "image" ? RegressionInputs.ImageOutputModel() : RegressionInputs.FeatureMapModel());
        var (code, stdout, stderr) = Tool.Run("classify", Photo(), "--model", model);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Contains($"output 'act' has shape {shape}, which is not an image classifier's", stderr);
        Assert.Throws<ClassifierOutputException>(() => new Explainer(OnnxModel.Load(model)));
    }

    [Fact]
    public void OutputNameChoosesAnotherGraphOutput()
    {
        var bytes = RegressionInputs.TwoOutputModel();
        var model = Model("two.onnx", bytes);
        var (refused, _, err) = Tool.Run("classify", Photo(), "--model", model);
        Assert.Equal(1, refused);
        Assert.Contains("the model's other outputs: 'logits' [1, 5] (choose one with --output-name)", err);

        var (code, stdout, _) = Tool.Run("classify", Photo(), "--model", model, "--output-name", "logits", "--json", "--top", "5");
        Assert.Equal(0, code);
        // peer: the logits output run in process, softmax in double precision
        var peer = OnnxModel.Load(bytes, "two.onnx", new OnnxImportOptions { OutputName = "logits" });
        var image = new NativeCam.Cam.Images.ImageLoader().LoadForModel(Photo(), 32, 32);
        var z = peer.Run(Tensor.FromArray(NativeCam.Cam.Images.ImageNetPreprocessor.Normalize(image.Crop), [1, 3, 32, 32])).ToArray();
        double max = z.Max(), sum = z.Sum(v => Math.Exp(v - max));
        foreach (var c in Tool.Json(stdout).GetProperty("images")[0].GetProperty("top").EnumerateArray())
            Assert.Equal(Math.Exp(z[c.GetProperty("class").GetInt32()] - max) / sum, c.GetProperty("probability").GetDouble(), 5);

        var (unknown, _, unknownErr) = Tool.Run("classify", Photo(), "--model", model, "--output-name", "nope");
        Assert.Equal(1, unknown);
        Assert.Contains("'nope'", unknownErr);
        Assert.Contains("not a graph output (outputs: act, logits)", unknownErr);
    }

    [Fact]
    public void BinaryLogitBecomesTwoClassLogitsWhoseSoftmaxIsTheSigmoid()
    {
        var z = Tensor.FromArray([-3.5f, 0f, 0.25f, 7f], [4, 1]);
        var logits = ClassifierOutput.ToLogits(z);
        Assert.Equal([4, 2], logits.Shape);
        var p = logits.Softmax(1).ToArray();
        var zz = z.ToArray();
        for (int i = 0; i < 4; i++)
        {
            double sigma = 1 / (1 + Math.Exp(-zz[i]));
            Assert.InRange(Math.Abs(p[2 * i + 1] - sigma), 0, 1e-6); // float32 softmax
            Assert.InRange(Math.Abs(p[2 * i] - (1 - sigma)), 0, 1e-6);
        }
    }

    [Fact]
    public void BinaryClassifierIsExplainedThroughItsLogit()
    {
        var bytes = RegressionInputs.BinaryModel();
        var model = Model("binary.onnx", bytes);
        var (code, stdout, _) = Tool.Run("classify", Photo(), "--model", model, "--json");
        Assert.Equal(0, code);
        var peer = OnnxModel.Load(bytes, "binary.onnx");
        var image = new NativeCam.Cam.Images.ImageLoader().LoadForModel(Photo(), 32, 32);
        double z = peer.Run(Tensor.FromArray(NativeCam.Cam.Images.ImageNetPreprocessor.Normalize(image.Crop), [1, 3, 32, 32])).ToArray()[0];
        var top = Tool.Json(stdout).GetProperty("images")[0].GetProperty("top");
        Assert.Equal(2, top.GetArrayLength());
        var one = top.EnumerateArray().Single(c => c.GetProperty("class").GetInt32() == 1);
        Assert.Equal(1 / (1 + Math.Exp(-z)), one.GetProperty("probability").GetDouble(), 5);

        // the logit utility of class 0 is −z/2 and of class 1 z/2 (BinaryClassifierOutputTarget's sign): gradients flip
        float[] Gradients(string cls)
        {
            var dir = Tool.TempDir();
            var (c, _, err) = Tool.Run("explain", Photo(), "--model", model, "--class", cls, "--utility", "logit", "--signals", "--method", "gradcam", "--output", dir);
            Assert.True(c == 0, err);
            return Tool.ReadNpy(Path.Combine(dir, "chelsea.gradients.npy")).Data;
        }
        var g0 = Gradients("0");
        var g1 = Gradients("1");
        Assert.Contains(g1, v => v != 0);
        for (int i = 0; i < g0.Length; i++) Assert.Equal(-g1[i], g0[i]);
        var (outOfRange, _, rangeErr) = Tool.Run("explain", Photo(), "--model", model, "--class", "2", "--output", Tool.TempDir());
        Assert.Equal(2, outOfRange);
        Assert.Contains("the model has 2 classes", rangeErr);
    }
}
