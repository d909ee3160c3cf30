namespace NativeCam.Cam.Tests.Shapley;

/// <summary>Exact Shapley values by enumerating every coalition (the test oracle, n ≤ ~12).</summary>
public static class ExactShapley
{
    /// <summary>φᵢ = Σ_{S ⊆ N∖i} |S|!(n−|S|−1)!/n! · (v(S ∪ i) − v(S)), with v given on bitmasks.</summary>
    public static double[] Values(int n, Func<int, double> v)
    {
        var value = new double[1 << n];
        for (int s = 0; s < value.Length; s++) value[s] = v(s);
        var weight = new double[n];
        for (int size = 0; size < n; size++) weight[size] = Factorial(size) * Factorial(n - size - 1) / Factorial(n);
        var phi = new double[n];
        for (int s = 0; s < value.Length; s++)
            for (int i = 0; i < n; i++)
                if ((s & (1 << i)) == 0) phi[i] += weight[System.Numerics.BitOperations.PopCount((uint)s)] * (value[s | (1 << i)] - value[s]);
        return phi;
    }

    /// <summary>The membership mask of bitmask s.</summary>
    public static bool[] Mask(int n, int s) => Enumerable.Range(0, n).Select(i => (s & (1 << i)) != 0).ToArray();

    /// <summary>The bitmask of a membership mask.</summary>
    public static int Bits(bool[] mask) => mask.Select((m, i) => m ? 1 << i : 0).Sum();

    private static double Factorial(int k) => k <= 1 ? 1 : k * Factorial(k - 1);
}
