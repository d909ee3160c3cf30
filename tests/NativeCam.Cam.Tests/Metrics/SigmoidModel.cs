using NativeCam.Cam.Metrics;

namespace NativeCam.Cam.Tests.Metrics;

/// <summary>Two classes: p1 = sigmoid(Σ w·x), p0 = 1 − p1; counts its calls and inputs.</summary>
internal sealed class SigmoidModel(float[] weights)
{
    public int Calls { get; private set; }
    public int Inputs { get; private set; }

    public static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    public double P1(float[] x)
    {
        double z = 0;
        for (int i = 0; i < x.Length; i++)
            z += (double)weights[i] * x[i];
        return Sigmoid(z);
    }

    public ProbabilityModel Model => inputs =>
    {
        Calls++;
        Inputs += inputs.Length;
        return inputs.Select(x =>
        {
            double p = P1(x);
            return new[] { (float)(1 - p), (float)p };
        }).ToArray();
    };
}
