namespace NativeCam.Engine;

/// <summary>
/// Tensors compared by reference, hashed by a serial number given at construction. The runtime's identity hash
/// (<see cref="System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(object)"/>) takes a slow path the first
/// time it sees an object, and every forward pass and backward sweep hashes fresh tensors: profiled, that path was
/// about a tenth of a MobileNetV2 forward pass.
/// </summary>
public sealed class TensorIdentity : IEqualityComparer<Tensor>
{
    /// <summary>The one instance.</summary>
    public static readonly TensorIdentity Instance = new();

    private TensorIdentity() { }

    /// <inheritdoc/>
    public bool Equals(Tensor? x, Tensor? y) => ReferenceEquals(x, y);

    /// <inheritdoc/>
    public int GetHashCode(Tensor t) => t.Serial;
}
