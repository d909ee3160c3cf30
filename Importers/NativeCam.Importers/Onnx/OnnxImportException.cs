namespace NativeCam.Importers.Onnx;

/// <summary>
/// An ONNX model could not be imported. The message names the file and, where they apply, the node (index, name,
/// op type) and tensor concerned, and the rule broken. Parser and IO errors never escape raw: they arrive wrapped
/// in one of the subclasses.
/// </summary>
public class OnnxImportException : Exception
{
    /// <summary>Creates the exception; <see cref="Exception.Message"/> is composed from the parts.</summary>
    public OnnxImportException(string file, string rule, int? nodeIndex = null, string? nodeName = null, string? opType = null,
        string? tensorName = null, Exception? inner = null)
        : base(Compose(file, rule, nodeIndex, nodeName, opType, tensorName), inner)
    {
        File = file;
        Rule = rule;
        NodeIndex = nodeIndex;
        NodeName = nodeName;
        OpType = opType;
        TensorName = tensorName;
    }

    /// <summary>The model file.</summary>
    public string File { get; }

    /// <summary>The rule broken, without the location.</summary>
    public string Rule { get; }

    /// <summary>Index of the node in the graph's node list, if a node is concerned.</summary>
    public int? NodeIndex { get; }

    /// <summary>The node's name.</summary>
    public string? NodeName { get; }

    /// <summary>The node's op type.</summary>
    public string? OpType { get; }

    /// <summary>The tensor concerned (an initializer, input or node output).</summary>
    public string? TensorName { get; }

    private static string Compose(string file, string rule, int? index, string? node, string? op, string? tensor)
    {
        var where = file.Length == 0 ? "(empty path)" : Path.GetFileName(file) is { Length: > 0 } name ? name : file;
        if (index is { } i) where += $": node {i}" + (string.IsNullOrEmpty(node) ? "" : $" '{node}'") + (op is null ? "" : $" ({op})");
        if (tensor is not null) where += $": tensor '{tensor}'";
        return $"{where}: {rule}";
    }
}

/// <summary>The file is not a readable ONNX protobuf (empty, truncated, not protobuf, nested too deep, too large).</summary>
public sealed class OnnxFormatException(string file, string rule, Exception? inner = null)
    : OnnxImportException(file, rule, inner: inner);

/// <summary>The model breaks a rule of ONNX or of a limit of the import (bad attribute, bad dims, bad data size).</summary>
public sealed class OnnxValidationException(string file, string rule, int? nodeIndex = null, string? nodeName = null,
    string? opType = null, string? tensorName = null, Exception? inner = null)
    : OnnxImportException(file, rule, nodeIndex, nodeName, opType, tensorName, inner);

/// <summary>The model uses something this importer does not support (an op, a data type, an IR or opset version).</summary>
public sealed class OnnxUnsupportedException(string file, string rule, int? nodeIndex = null, string? nodeName = null,
    string? opType = null, string? tensorName = null)
    : OnnxImportException(file, rule, nodeIndex, nodeName, opType, tensorName);
