namespace NativeCam.Engine.Graph;

/// <summary>
/// One step of a graph: named input tensors in, named output tensors out. <see cref="Compute"/> is written with
/// Engine tensor ops, so a node runs unchanged on plain values, duals and reverse tensors.
/// </summary>
/// <param name="Name">A unique node name (for messages).</param>
/// <param name="OpType">The operation's type, e.g. "Conv".</param>
/// <param name="Inputs">Input tensor names (an empty string is an omitted optional input, passed as null).</param>
/// <param name="Outputs">Output tensor names.</param>
/// <param name="Compute">Maps the inputs to the outputs.</param>
public sealed record GraphNode(string Name, string OpType, string[] Inputs, string[] Outputs, Func<Tensor?[], Tensor[]> Compute);
