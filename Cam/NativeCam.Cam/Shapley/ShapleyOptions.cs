namespace NativeCam.Cam.Shapley;

/// <summary>How Shapley values are sampled.</summary>
public sealed record ShapleyOptions
{
    /// <summary>Random permutations drawn, counting each antithetic partner (the reverse); even and ≥ 2.</summary>
    public int Samples { get; init; } = 64;

    /// <summary>Seed of the permutation generator (the same seed gives the same estimate).</summary>
    public int Seed { get; init; }

    /// <summary>Most coalitions passed to the game at once.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public void Validate()
    {
        if (Samples < 2 || Samples % 2 != 0)
            throw new ArgumentException($"samples must be an even number ≥ 2 (permutations come in antithetic pairs); got {Samples}");
        if (BatchSize < 1) throw new ArgumentException($"batch size must be ≥ 1; got {BatchSize}");
    }
}
