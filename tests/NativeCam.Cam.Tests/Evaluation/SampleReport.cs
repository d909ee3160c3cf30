using NativeCam.Cam.Evaluation;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NativeCam.Cam.Tests.Evaluation;

/// <summary>
/// A small evaluation built in the test: 3 images × 3 methods with pseudo-random scores and curves, the method
/// summaries computed here from the per-image rows (the reference), and real PNG overlays encoded with ImageSharp.
/// Names carry markup so escaping is exercised.
/// </summary>
internal static class SampleReport
{
    public const string ScriptMethod = "<script>alert('m')</script>";
    public static readonly string[] Methods = ["gradcam", "shapleycam", ScriptMethod];
    public static readonly string[] Images = ["cat.png", "dog & <b>bird</b>.png", "sub/zebra.png"];
    public const int CurvePoints = 11;

    /// <summary>The report; the third method has no ROAD scores (its ROAD column must read "—").</summary>
    public static EvaluationReport Build(string? shard = null)
    {
        var random = new Random(1234);
        var rows = new List<ImageResult>();
        for (int i = 0; i < Images.Length; i++)
        {
            foreach (var method in Methods)
            {
                double y = 0.5 + 0.5 * random.NextDouble();
                var deletion = Curve(random, y, decreasing: true);
                var insertion = Curve(random, y, decreasing: false);
                RoadScores? road = method == ScriptMethod ? null
                    : new RoadScores([20, 40, 60, 80], [0.5, 0.4, 0.3, 0.2], [0.9, 0.8, 0.8, 0.7], 0.1 + 0.3 * random.NextDouble());
                rows.Add(new ImageResult(Images[i], method, 100 + i, y, y * random.NextDouble() * 1.2, y * random.NextDouble(),
                    random.NextDouble(), random.NextDouble(), road, deletion, insertion, 0.1 + random.NextDouble()));
            }
        }
        var summaries = Methods.Select(m => Summarize(m, rows.Where(r => r.Method == m).ToList())).ToList();
        return new EvaluationReport("mobilenetv2-12-int8 <&>", "auto", "rest", Images.Length, shard, summaries, rows);
    }

    /// <summary>A PNG per cell: a gradient whose colours depend on the cell, so every overlay differs.</summary>
    public static Dictionary<(string Image, string Method), byte[]> Overlays()
    {
        var overlays = new Dictionary<(string Image, string Method), byte[]>();
        for (int i = 0; i < Images.Length; i++)
        {
            for (int m = 0; m < Methods.Length; m++)
            {
                using var image = new Image<Rgb24>(48, 40);
                for (int y = 0; y < image.Height; y++)
                    for (int x = 0; x < image.Width; x++)
                        image[x, y] = new Rgb24((byte)(x * 5), (byte)(y * 6 + 40 * i), (byte)(80 * m));
                using var stream = new MemoryStream();
                image.SaveAsPng(stream);
                overlays[(Images[i], Methods[m])] = stream.ToArray();
            }
        }
        return overlays;
    }

    /// <summary>Reference trapezoid area of points equally spaced over [0,1].</summary>
    public static double Trapezoid(double[] values)
    {
        double sum = 0;
        for (int k = 0; k + 1 < values.Length; k++) sum += 0.5 * (values[k] + values[k + 1]);
        return sum / (values.Length - 1);
    }

    private static double[] Curve(Random random, double start, bool decreasing)
    {
        var curve = new double[CurvePoints];
        double value = decreasing ? start : 0.05 * random.NextDouble();
        for (int k = 0; k < CurvePoints; k++)
        {
            curve[k] = value;
            double step = 0.15 * random.NextDouble();
            value = decreasing ? Math.Max(0, value - step) : Math.Min(1, value + step);
        }
        return curve;
    }

    private static MethodSummary Summarize(string method, List<ImageResult> rows)
    {
        double ad = rows.Average(r => Math.Max(0, r.Y - r.O) / r.Y);
        double ic = rows.Average(r => r.O > r.Y ? 1.0 : 0.0);
        double add = rows.Average(r => Math.Max(0, r.Y - r.D) / r.Y);
        double coh = rows.Average(r => r.Coherency!.Value);
        double com = rows.Average(r => r.Complexity);
        double adcc = 3 / (1 / coh + 1 / (1 - com) + 1 / (1 - ad));
        double? road = rows.All(r => r.Road is not null) ? rows.Average(r => r.Road!.Combined) : null;
        var meanDeletion = Enumerable.Range(0, CurvePoints).Select(k => rows.Average(r => r.DeletionCurve![k])).ToArray();
        var meanInsertion = Enumerable.Range(0, CurvePoints).Select(k => rows.Average(r => r.InsertionCurve![k])).ToArray();
        return new MethodSummary(method, rows.Count, ad, ic, add, coh, com, adcc, road, Trapezoid(meanDeletion), Trapezoid(meanInsertion),
            rows.Average(r => r.Seconds), meanDeletion, meanInsertion);
    }
}
