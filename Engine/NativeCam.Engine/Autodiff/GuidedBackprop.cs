namespace NativeCam.Engine.Autodiff;

/// <summary>
/// Guided backpropagation (Springenberg et al. 2015): while a scope is open, the reverse rules of ReLU and Clip
/// (also fused into convolutions) pass a cotangent only where it is positive and the input lies on the active side,
/// x̄ = [x active]·max(ȳ, 0), instead of x̄ = [x active]·ȳ. Values and forward-mode tangents are unchanged. The
/// flag flows with the logical call (<see cref="AsyncLocal{T}"/>), so a backward sweep started inside the scope
/// sees it on any thread it uses, and sweeps elsewhere never do.
/// </summary>
public static class GuidedBackprop
{
    private static readonly AsyncLocal<bool> Flag = new();

    /// <summary>True inside an <see cref="Enable"/> scope.</summary>
    public static bool Active => Flag.Value;

    /// <summary>Opens a scope in which ReLU and Clip back-propagate by the guided rule; dispose to close it.</summary>
    public static IDisposable Enable()
    {
        bool before = Flag.Value;
        Flag.Value = true;
        return new Scope(before);
    }

    /// <summary>The cotangent a ReLU/Clip mask multiplies: ȳ, or max(ȳ, 0) under the guided rule.</summary>
    internal static Tensor Gate(Tensor dy) => Flag.Value ? dy.Relu() : dy;

    private sealed class Scope(bool before) : IDisposable
    {
        private bool _closed;

        public void Dispose()
        {
            if (_closed) return;
            _closed = true;
            Flag.Value = before;
        }
    }
}
