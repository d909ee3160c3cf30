using NativeCam.Engine;

namespace NativeCam.Importers.Onnx;

/// <summary>
/// What the importer knows of a named tensor: its data when known at import (initializers, constants, folded shape
/// arithmetic), else a shapes-only stand-in for its run-time value (from the import-time shape inference).
/// </summary>
internal sealed class ImportValue
{
    private ImportValue(string name, ConstantData? constant, Tensor? example)
    {
        Name = name;
        Constant = constant;
        Example = example;
    }

    /// <summary>The ONNX tensor name.</summary>
    public string Name { get; }

    /// <summary>The data, when known at import.</summary>
    public ConstantData? Constant { get; }

    /// <summary>A shapes-only stand-in for the run-time value (for run-time tensors).</summary>
    public Tensor? Example { get; }

    /// <summary>True when the data is known at import.</summary>
    public bool IsConstant => Constant is not null;

    /// <summary>The dims.</summary>
    public int[] Shape => Constant?.Shape ?? Example!.Shape;

    /// <summary>A value known at import.</summary>
    public static ImportValue Known(string name, ConstantData data) => new(name, data, null);

    /// <summary>A value computed at run time.</summary>
    public static ImportValue Runtime(string name, Tensor example) => new(name, null, example);
}
