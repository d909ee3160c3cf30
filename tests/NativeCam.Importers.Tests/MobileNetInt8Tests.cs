using System.Diagnostics;
using NativeCam.Importers.Onnx;
using Microsoft.ML.OnnxRuntime;
using NativeCam.Importers.Tests.Ops;
using NativeCam.Importers.Tests.Support;
using Xunit.Abstractions;
using Tensor = NativeCam.Engine.Tensor;

namespace NativeCam.Importers.Tests;

/// <summary>
/// The ONNX Model Zoo's int8 MobileNetV2 (QOperator format), imported as a float graph, against ONNX Runtime's true
/// int8 execution on the 200 ImageNet dev photos (a dataset test: NATIVECAM_IMAGENET_DIR names their folder). Our graph drops the rounding of every
/// activation to its quantisation grid (it keeps the saturation), so logits differ slightly; the top-1 class must
/// agree on at least 90% of the photos. ORT runs in its exact integer mode (session.x64quantprecision, see
/// <see cref="QuantizedOpTests"/>): on x64 CPUs without VNNI its default u8·s8 kernels saturate with this model's
/// full-range int8 weights, which costs ORT several points of accuracy and is not the model's arithmetic.
/// As a check that the remaining disagreement is ORT's rounding and not an import error, ORT also runs
/// mobilenetv2-12-float.onnx (the same network with the same dequantised weights and ReLU6 clips, without the clamps
/// of the linear layers' ranges): our import must agree with it on at least 97% of the photos.
/// </summary>
public class MobileNetInt8Tests(ITestOutputHelper output)
{
    private const int Batch = 10;

    private static int ArgMax(ReadOnlySpan<float> v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    [DatasetFact(DatasetFactAttribute.ImageNetDir, "the 200 ImageNet dev photos (NNN_wnid_name.JPEG, one per fifth class)")]
    public void TopOneAgreesWithOrtInt8OnImageNetDev()
    {
        var clock = Stopwatch.StartNew();
        var modelPath = TestData.Int8Model;
        var set = ImageNetInput.DevSet();
        Assert.Equal(200, set.Length);
        var inputs = new float[set.Length][];
        Parallel.For(0, set.Length, i => inputs[i] = ImageNetInput.Preprocess(set[i].Path));
        var prep = clock.Elapsed;

        var model = OnnxModel.Load(modelPath, new OnnxImportOptions { InputShape = [Batch, 3, 224, 224] });
        Assert.Equal("QLinearConv", model.Producers.Values.GroupBy(v => v).OrderByDescending(g => g.Count()).First().Key);
        var import = clock.Elapsed;
        using var ortOptions = QuantizedOpTests.ExactOrtOptions();
        using var session = new InferenceSession(modelPath, ortOptions);
        using var floatOptions = new SessionOptions { IntraOpNumThreads = 1 };
        using var floatSession = new InferenceSession(TestData.FloatModel, floatOptions);
        int floatAgree = 0, ortFloatAgree = 0, floatRight = 0;
        TimeSpan floatTime = TimeSpan.Zero;

        int per = 3 * 224 * 224, agree = 0, oursRight = 0, ortRight = 0;
        var ours = new int[set.Length];
        var ort = new int[set.Length];
        TimeSpan oursTime = TimeSpan.Zero, ortTime = TimeSpan.Zero;
        for (int start = 0; start < set.Length; start += Batch)
        {
            var batch = new float[Batch * per];
            for (int j = 0; j < Batch; j++) inputs[start + j].CopyTo(batch, j * per);
            int[] shape = [Batch, 3, 224, 224];

            var t0 = clock.Elapsed;
            var logits = model.Run(Tensor.FromArray(batch, shape)).ToFloatArray();
            var t1 = clock.Elapsed;
            var (reference, refShape) = QuantizedOpTests.RunOrt(session, batch, shape);
            ortTime += clock.Elapsed - t1;
            oursTime += t1 - t0;
            var t2 = clock.Elapsed;
            var (flt, _) = QuantizedOpTests.RunOrt(floatSession, batch, shape);
            floatTime += clock.Elapsed - t2;
            Assert.Equal([Batch, 1000], refShape);
            Assert.Equal(Batch * 1000, logits.Length);

            for (int j = 0; j < Batch; j++)
            {
                int i = start + j;
                ours[i] = ArgMax(logits.AsSpan(j * 1000, 1000));
                ort[i] = ArgMax(reference.AsSpan(j * 1000, 1000));
                if (ours[i] == ort[i]) agree++;
                if (ours[i] == set[i].Label) oursRight++;
                if (ort[i] == set[i].Label) ortRight++;
                int f = ArgMax(flt.AsSpan(j * 1000, 1000));
                if (f == ours[i]) floatAgree++;
                if (f == ort[i]) ortFloatAgree++;
                if (f == set[i].Label) floatRight++;
            }
        }

        double n = set.Length;
        output.WriteLine($"top-1 agreement with ORT int8: {agree}/{set.Length} = {agree / n:P1}");
        output.WriteLine($"top-1 accuracy: ours {oursRight / n:P1} ({oursRight}), ORT int8 {ortRight / n:P1} ({ortRight})");
        output.WriteLine($"float model (ORT): top-1 {floatRight / n:P1}; agreement with ours {floatAgree / n:P1}, with ORT int8 {ortFloatAgree / n:P1}; {floatTime.TotalSeconds:F1} s");
        output.WriteLine($"time: preprocessing {prep.TotalSeconds:F1} s, import {(import - prep).TotalSeconds:F1} s, " +
                         $"ours {oursTime.TotalSeconds:F1} s, ORT {ortTime.TotalSeconds:F1} s, total {clock.Elapsed.TotalSeconds:F1} s");
        for (int i = 0; i < set.Length; i++)
            if (ours[i] != ort[i])
                output.WriteLine($"  differs: {Path.GetFileName(set[i].Path)}: ours {ours[i]}, ORT {ort[i]}");
        Assert.True(agree >= 0.9 * n, $"top-1 agreement {agree}/{set.Length} is below 90%");
        Assert.True(floatAgree >= 0.97 * n, $"top-1 agreement with the float model {floatAgree}/{set.Length} is below 97%");
    }
}
