using System.Reflection;
using NativeCam.Engine.Graph;
using NativeCam.Importers.Onnx;

namespace NativeCam.Importers;

/// <summary>
/// The embedded default classifier: ONNX Model Zoo MobileNetV2 int8 (Apache-2.0; weights from torchvision,
/// BSD-3-Clause; see Models/NOTICE.md), with the ImageNet class names.
/// </summary>
public static class DefaultModel
{
    /// <summary>The name used for the embedded model in messages and JSON.</summary>
    public const string Name = "mobilenetv2-12-int8.onnx (embedded)";

    internal const string ModelResource = "NativeCam.Importers.Models.mobilenetv2-12-int8.onnx";
    internal const string LabelsResource = "NativeCam.Importers.Models.imagenet_classes.txt";

    /// <summary>The model file's bytes.</summary>
    public static byte[] Bytes()
    {
        using var s = Open(ModelResource);
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    /// <summary>Imports the embedded model.</summary>
    /// <exception cref="OnnxImportException">The importer cannot handle it (e.g. quantized ops unsupported).</exception>
    public static Model Load(OnnxImportOptions? options = null) => OnnxModel.Load(Bytes(), "mobilenetv2-12-int8.onnx", options);

    /// <summary>The 1000 ImageNet class names in class order.</summary>
    public static IReadOnlyList<string> ImageNetLabels() => Labels.Value;

    private static readonly Lazy<string[]> Labels = new(() =>
    {
        using var reader = new StreamReader(Open(LabelsResource));
        return reader.ReadToEnd().Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
    });

    private static Stream Open(string resource) =>
        Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
        ?? throw new InvalidOperationException($"embedded resource {resource} is missing from {typeof(DefaultModel).Assembly.GetName().Name}");
}
