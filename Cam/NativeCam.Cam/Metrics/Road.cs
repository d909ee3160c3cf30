namespace NativeCam.Cam.Metrics;
public sealed record RoadOptions(IReadOnlyList<double>? Percentiles = null, double NoiseStd = 0.01, int Seed = 0);
public static class Road { public static NativeCam.Cam.Evaluation.RoadScores[] Score(ProbabilityModel model, IReadOnlyList<MetricSample> samples, RoadOptions? options = null) => throw new NotImplementedException("ROAD: placeholder"); }
