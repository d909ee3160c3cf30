using NativeCam.Engine.Graph;

namespace NativeCam.Importers.Onnx;

/// <summary>
/// Imports ONNX models into Engine <see cref="Model"/>s whose tensors keep their ONNX names. The model can build
/// itself for other batch sizes (<see cref="Model.ForBatch"/>) from the parsed file, by shape inference alone.
/// </summary>
public static class OnnxModel
{
    /// <summary>Loads and imports a model file.</summary>
    /// <param name="path">The .onnx file (read-only; external data must sit in its folder).</param>
    /// <param name="options">Input shape, dtype, limits.</param>
    /// <exception cref="OnnxImportException">The file is unreadable, malformed, or uses something unsupported.</exception>
    public static Model Load(string path, OnnxImportOptions? options = null)
    {
        var o = options ?? new OnnxImportOptions();
        return new OnnxSource(path, OnnxModelReader.Read(path, o), o).Build(o.InputShape);
    }

    /// <summary>
    /// Imports a model held in memory (e.g. an embedded resource). External data is not allowed: there is no
    /// folder to read it from.
    /// </summary>
    /// <param name="bytes">The .onnx file's bytes.</param>
    /// <param name="name">A name for messages.</param>
    /// <param name="options">Input shape, dtype, limits.</param>
    public static Model Load(byte[] bytes, string name, OnnxImportOptions? options = null)
    {
        var o = options ?? new OnnxImportOptions();
        var virtualPath = Path.Combine(Path.GetTempPath(), "nativecam-in-memory-" + Guid.NewGuid().ToString("N"), Path.GetFileName(name));
        return new OnnxSource(virtualPath, OnnxModelReader.Parse(bytes, virtualPath, o), o).Build(o.InputShape);
    }
}
