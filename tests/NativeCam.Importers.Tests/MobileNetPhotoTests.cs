using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using SixLabors.ImageSharp;
using Xunit.Abstractions;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Tensor = NativeCam.Engine.Tensor;
using NativeCam.Engine.Graph;

namespace NativeCam.Importers.Tests;

/// <summary>The real MobileNetV2 float model on real photos: our logits and top-5 against ONNX Runtime on the same tensor.</summary>
public class MobileNetPhotoTests(ITestOutputHelper output)
{
    private static readonly int[] InputShape = [1, 3, 224, 224];
    private static readonly Lazy<Model> Model = new(() =>
        OnnxModel.Load(TestData.FloatModel, new OnnxImportOptions { InputShape = InputShape }));

    /// <summary>
    /// torchvision preprocessing: RGB, shorter side resized to 256 (bilinear), centre crop 224, /255, normalised with the
    /// ImageNet mean and std, NCHW float32.
    /// </summary>
    public static float[] Preprocess(string path)
    {
        using var image = Image.Load<Rgb24>(path);
        int w = image.Width, h = image.Height;
        (int rw, int rh) = w <= h ? (256, (int)(256L * h / w)) : ((int)(256L * w / h), 256);
        int left = (int)Math.Round((rw - 224) / 2.0), top = (int)Math.Round((rh - 224) / 2.0);
        image.Mutate(c => c
            .Resize(new ResizeOptions { Size = new Size(rw, rh), Sampler = KnownResamplers.Triangle, Mode = ResizeMode.Stretch })
            .Crop(new Rectangle(left, top, 224, 224)));
        float[] mean = [0.485f, 0.456f, 0.406f], std = [0.229f, 0.224f, 0.225f];
        var data = new float[3 * 224 * 224];
        for (int y = 0; y < 224; y++)
            for (int x = 0; x < 224; x++)
            {
                var p = image[x, y];
                int i = y * 224 + x;
                data[i] = (p.R / 255f - mean[0]) / std[0];
                data[224 * 224 + i] = (p.G / 255f - mean[1]) / std[1];
                data[2 * 224 * 224 + i] = (p.B / 255f - mean[2]) / std[2];
            }
        return data;
    }

    private static int[] Top5(float[] logits) =>
        Enumerable.Range(0, logits.Length).OrderByDescending(i => logits[i]).Take(5).ToArray();

    [Theory]
    [InlineData("coffee.png", 967)]  // espresso
    [InlineData("chelsea.png", 285)] // Egyptian cat
    public void LogitsAndTop5MatchOrt(string photo, int knownClass)
    {
        var input = Preprocess(TestData.Photo(photo));
        var (ort, ortShape) = OrtPeer.Run(TestData.FloatModel, input, InputShape);
        var ours = Model.Value.Run(Tensor.FromArray(input, InputShape));
        Assert.Equal(ortShape, ours.Shape);
        Assert.Equal([1, 1000], ours.Shape);
        var logits = ours.ToFloatArray();
        for (int i = 0; i < ort.Length; i++)
        {
            double err = Math.Abs(logits[i] - ort[i]);
            if (!(err <= 1e-3 + 1e-4 * Math.Abs(ort[i])))
                Assert.Fail($"{photo}: logit {i} is {logits[i]}, ORT gives {ort[i]}");
        }
        var labels = File.ReadAllLines(TestData.ImageNetLabels);
        var ourTop = Top5(logits);
        var ortTop = Top5(ort);
        output.WriteLine($"{photo}: max |ours − ORT| {ort.Select((v, i) => Math.Abs(logits[i] - v)).Max():G3}; top-5 {string.Join(", ", ourTop.Select(i => $"{i} {labels[i]} ({logits[i]:F3})"))}");
        Assert.True(ortTop.SequenceEqual(ourTop),
            $"{photo}: our top-5 [{string.Join(", ", ourTop.Select(i => $"{i} {labels[i]}"))}], ORT's [{string.Join(", ", ortTop.Select(i => $"{i} {labels[i]}"))}]");
        Assert.Equal(ortTop[0], ourTop[0]);
        Assert.Equal(knownClass, ourTop[0]);
    }
}
