using NativeCam.Cli.Tests.Support;
using Google.Protobuf;
using NativeCam.Fuzz.Fuzzing;
using NativeCam.Engine;
using NativeCam.Importers.Onnx;
using Onnx;

namespace NativeCam.Cli.Tests.Robustness;

/// <summary>
/// Regressions: a model given through a symbolic link (as in a Hugging Face cache) failed with "the file changed
/// size while being read"; output-folder failures surfaced raw .NET messages that did not name --output.
/// </summary>
public class LinkAndOutputTests
{
    [Fact]
    public void ModelAndImageThroughSymbolicLinksLoadLikeTheirTargets()
    {
        var root = Tool.TempDir();
        var real = Directory.CreateDirectory(Path.Combine(root, "blobs")).FullName;
        var model = RobustPaths.Write("3f9a0c", TinyModels.Build(32, 6, 5, TinyModels.Head.Logits), real);
        var photo = Path.Combine(real, "b71d.png");
        File.Copy(RobustPaths.Sample("chelsea.png"), photo);
        var linkedModel = Path.Combine(root, "linked.onnx");
        var linkedPhoto = Path.Combine(root, "linked.png");
        File.CreateSymbolicLink(linkedModel, "blobs/3f9a0c");
        File.CreateSymbolicLink(linkedPhoto, photo);

        var (code, stdout, stderr) = Tool.Run("classify", linkedPhoto, "--model", linkedModel, "--json");
        Assert.True(code == 0, stderr);
        var (direct, directOut, _) = Tool.Run("classify", photo, "--model", model, "--json");
        Assert.Equal(0, direct);
        Assert.Equal(Tool.Json(directOut).GetProperty("images")[0].GetProperty("top").ToString(),
            Tool.Json(stdout).GetProperty("images")[0].GetProperty("top").ToString());

        var dangling = Path.Combine(root, "dangling.onnx");
        File.CreateSymbolicLink(dangling, Path.Combine(root, "missing.onnx"));
        var (bad, _, badErr) = Tool.Run("classify", linkedPhoto, "--model", dangling);
        Assert.NotEqual(0, bad);
        Assert.Contains("dangling.onnx", badErr);
    }

    /// <summary>The tiny model with its convolution weights moved to an external file named <paramref name="location"/>.</summary>
    private static (byte[] Model, byte[] Weights) WithExternalWeights(string location)
    {
        var proto = ModelProto.Parser.ParseFrom(TinyModels.Build(32, 6, 5, TinyModels.Head.Logits));
        var w = proto.Graph.Initializer.Single(t => t.Name == "conv.w");
        var weights = w.FloatData.SelectMany(BitConverter.GetBytes).ToArray();
        w.FloatData.Clear();
        w.DataLocation = TensorProto.Types.DataLocation.External;
        w.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        return (proto.ToByteArray(), weights);
    }

    [Fact]
    public void HuggingFaceCacheLayoutLoadsAndLinksLeavingBothFoldersAreRefused()
    {
        var root = Tool.TempDir();
        var (model, weights) = WithExternalWeights("weights.bin");
        var blobs = Directory.CreateDirectory(Path.Combine(root, "blobs")).FullName;
        var snapshot = Directory.CreateDirectory(Path.Combine(root, "snapshots", "r1")).FullName;
        File.WriteAllBytes(Path.Combine(blobs, "m1"), model);
        File.WriteAllBytes(Path.Combine(blobs, "w1"), weights);
        File.CreateSymbolicLink(Path.Combine(snapshot, "model.onnx"), "../../blobs/m1");
        File.CreateSymbolicLink(Path.Combine(snapshot, "weights.bin"), "../../blobs/w1");

        var linked = OnnxModel.Load(Path.Combine(snapshot, "model.onnx"));
        var inline = OnnxModel.Load(TinyModels.Build(32, 6, 5, TinyModels.Head.Logits), "inline.onnx");
        var x = Tensor.Uniform([1, 3, 32, 32], 7, -2, 2);
        Assert.Equal(inline.Run(x).ToArray(), linked.Run(x).ToArray());

        // a data link that leaves both the model's folder and its real folder is refused
        var secret = Directory.CreateDirectory(Path.Combine(root, "elsewhere")).FullName;
        File.WriteAllBytes(Path.Combine(secret, "secret.bin"), weights);
        var other = Directory.CreateDirectory(Path.Combine(root, "snapshots", "r2")).FullName;
        File.CreateSymbolicLink(Path.Combine(other, "model.onnx"), "../../blobs/m1");
        File.CreateSymbolicLink(Path.Combine(other, "weights.bin"), "../../elsewhere/secret.bin");
        var e = Assert.ThrowsAny<OnnxImportException>(() => OnnxModel.Load(Path.Combine(other, "model.onnx")));
        Assert.Contains("symbolic link leading outside the model's folder", e.Message);

        // a plain model file whose data link leads out of its folder stays refused
        var plain = Directory.CreateDirectory(Path.Combine(root, "plain")).FullName;
        File.WriteAllBytes(Path.Combine(plain, "model.onnx"), model);
        File.CreateSymbolicLink(Path.Combine(plain, "weights.bin"), "../blobs/w1");
        Assert.ThrowsAny<OnnxImportException>(() => OnnxModel.Load(Path.Combine(plain, "model.onnx")));
    }

    [Fact]
    public void OutputFolderErrorsNameTheOptionAndTheFolder()
    {
        var photo = RobustPaths.Sample("chelsea.png");
        var (code, _, stderr) = Tool.Run("explain", photo, "--output", "/proc/nc-out");
        Assert.Equal(1, code);
        Assert.Contains("error: --output /proc/nc-out: cannot create or open the output folder", stderr);

        var file = RobustPaths.Write("not-a-folder", [1, 2, 3]);
        var (code2, _, stderr2) = Tool.Run("eval", "--images", Path.GetDirectoryName(photo)!, "--limit", "1", "--output", file);
        Assert.Equal(1, code2);
        Assert.Contains($"error: --output {file}: cannot create or open the output folder", stderr2);

    }
}
