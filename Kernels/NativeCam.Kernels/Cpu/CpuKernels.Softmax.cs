namespace NativeCam.Kernels.Cpu;

public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void Softmax(AxisParams p, IBuffer x, IBuffer y) =>
        throw new NotImplementedException("CPU softmax is not implemented yet");

    /// <inheritdoc/>
    public void LogSoftmax(AxisParams p, IBuffer x, IBuffer y) =>
        throw new NotImplementedException("CPU log-softmax is not implemented yet");

    /// <inheritdoc/>
    public void LogSumExp(AxisParams p, IBuffer x, IBuffer y) =>
        throw new NotImplementedException("CPU logsumexp is not implemented yet");
}
