namespace NativeCam.Engine.Graph;

/// <summary>A graph is malformed (a cycle, an undefined input, a name produced twice) or a node failed to run.</summary>
public class GraphException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GraphException(string message, string? nodeName = null, string? tensorName = null, Exception? inner = null)
        : base(message, inner)
    {
        NodeName = nodeName;
        TensorName = tensorName;
    }

    /// <summary>The node concerned, if any.</summary>
    public string? NodeName { get; }

    /// <summary>The tensor concerned, if any.</summary>
    public string? TensorName { get; }
}
