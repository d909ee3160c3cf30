using NativeCam.Cam.Images;
using NativeCam.Engine;
using NativeCam.Importers;

namespace NativeCam.Cam.Tests;

/// <summary>The README's API example, compiled here and run; a second test checks the README still shows it.</summary>
public class ReadmeExampleTests
{
    private static (int Class, float[] Map) Example(string photoPath, string overlayPath)
    {
        // README-EXAMPLE-BEGIN
        var model = DefaultModel.Load();                            // or OnnxModel.Load("your-model.onnx")
        var explainer = new Explainer(model);

        var photo = new ImageLoader().Load(photoPath);
        var (chw, crop) = ImageNetPreprocessor.Preprocess(photo);   // shorter side 256, centre crop 224, normalise
        var input = Tensor.FromArray(chw, [1, 3, 224, 224]);

        var result = explainer.Explain(input, new ExplainOptions { Methods = ["shapleycam", "gradcam"] });
        int explained = result.Classes[0];                          // the model's top-1 (967, espresso)
        float[] map = result.Methods[0].Maps[0];                    // ShapleyCAM, 224×224 values in [0, 1]

        var overlay = CamOverlay.OnOriginal(photo, map, 224, 224, crop);
        File.WriteAllBytes(overlayPath, ImageWriter.EncodePng(overlay));
        // README-EXAMPLE-END
        return (explained, map);
    }

    [Fact]
    public void ExampleRunsAndExplainsTheEspresso()
    {
        var dir = Directory.CreateTempSubdirectory("nativecam-readme-").FullName;
        var overlayPath = Path.Combine(dir, "coffee.shapleycam.png");
        var (cls, map) = Example(RepoPaths.Repo("Cam/samples/coffee.png"), overlayPath);
        Assert.Equal(967, cls);
        Assert.Equal(224 * 224, map.Length);
        Assert.All(map, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(1f, map.Max(), 3);
        var written = new ImageLoader().Load(overlayPath);
        var photo = new ImageLoader().Load(RepoPaths.Repo("Cam/samples/coffee.png"));
        Assert.Equal((photo.Width, photo.Height), (written.Width, written.Height));
    }

    [Fact]
    public void ReadmeShowsTheExample()
    {
        var source = File.ReadAllLines(RepoPaths.Repo("tests/NativeCam.Cam.Tests/ReadmeExampleTests.cs"));
        int begin = Array.FindIndex(source, l => l.Contains("README-EXAMPLE-BEGIN")), end = Array.FindIndex(source, l => l.Contains("README-EXAMPLE-END"));
        var example = source[(begin + 1)..end].Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        var readme = File.ReadAllLines(RepoPaths.Repo("README.md")).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        int at = Array.IndexOf(readme, example[0]);
        Assert.True(at >= 0, "the README does not show the API example");
        Assert.Equal(example, readme[at..(at + example.Length)]);
    }
}
