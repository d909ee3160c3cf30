using System.Text.Json;
using NativeCam.Engine.Graph;
using NativeCam.Importers.Onnx;

namespace NativeCam.Importers.Tests.Support;

/// <summary>The fixture models of tests/fixtures (listed in its manifest) plus the embedded MobileNetV2 int8, "embedded".</summary>
internal static class FixtureModels
{
    /// <summary>The folder the fixtures are copied to beside the test binaries.</summary>
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "fixtures", "models");

    /// <summary>Every fixture's name, then "embedded".</summary>
    public static TheoryData<string> NamesWithEmbedded()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "manifest.json")));
        var names = doc.RootElement.GetProperty("models").EnumerateObject().Select(m => m.Name).ToList();
        names.Add("embedded");
        return new(names);
    }

    /// <summary>Imports a fixture by name ("embedded": the library's default model).</summary>
    public static Model Load(string name, OnnxImportOptions options) =>
        name == "embedded" ? DefaultModel.Load(options) : OnnxModel.Load(Path.Combine(Folder, name + ".onnx"), options);
}
