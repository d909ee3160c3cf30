namespace NativeCam.Engine.Graph;

/// <summary>The multiply-adds of one convolution or dense layer of a model.</summary>
/// <param name="Node">The source node's name (or its output's name when it has none).</param>
/// <param name="OpType">The source op type, e.g. Conv, QLinearConv, Gemm, MatMul.</param>
/// <param name="MultiplyAdds">Multiply-adds of one forward pass at the model's input shape.</param>
public sealed record LayerFlops(string Node, string OpType, long MultiplyAdds);
