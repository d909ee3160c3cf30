namespace NativeCam.Engine.Autodiff;

/// <summary>The record a reverse tensor keeps of the op that made it.</summary>
/// <param name="Op">The op.</param>
/// <param name="Inputs">The op's inputs as given (some of them reverse tensors of the same level).</param>
/// <param name="Primals">The inputs one level down (what the rules see).</param>
/// <param name="Output">The output's primal one level down.</param>
internal sealed record ReverseNode(Op Op, Tensor[] Inputs, Tensor[] Primals, Tensor Output);
