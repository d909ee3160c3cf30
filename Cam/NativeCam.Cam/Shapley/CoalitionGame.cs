namespace NativeCam.Cam.Shapley;

/// <summary>
/// A cooperative game evaluated in batches: v(S) for each coalition S, given as a membership mask over the n
/// players (true = the player is in S). The estimator never passes more coalitions at once than its batch size.
/// </summary>
/// <param name="coalitions">Membership masks, each of length n.</param>
/// <returns>v(S) for each coalition, in order.</returns>
public delegate double[] CoalitionGame(IReadOnlyList<bool[]> coalitions);
