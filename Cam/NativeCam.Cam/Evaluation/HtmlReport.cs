namespace NativeCam.Cam.Evaluation;
public static class HtmlReport { public static string Render(EvaluationReport report, IReadOnlyDictionary<(string Image, string Method), byte[]>? overlays) => throw new NotImplementedException("HTML report: placeholder"); }
