namespace NativeCam.Cli.Infrastructure;

/// <summary>Suggests the known names closest to a misspelt one (Levenshtein distance, ties broken by the longer common prefix).</summary>
public static class NearestNames
{
    /// <summary>Up to <paramref name="count"/> names, nearest first (ties by name).</summary>
    public static IReadOnlyList<string> Suggest(string name, IEnumerable<string> known, int count = 3) =>
        known.Distinct(StringComparer.Ordinal)
            .Select(k => (Name: k, Distance: Distance(name.ToLowerInvariant(), k.ToLowerInvariant())))
            .OrderBy(p => p.Distance).ThenByDescending(p => CommonPrefix(name, p.Name)).ThenBy(p => p.Name, StringComparer.Ordinal)
            .Take(count).Select(p => p.Name).ToList();

    private static int CommonPrefix(string a, string b)
    {
        int n = 0;
        while (n < a.Length && n < b.Length && char.ToLowerInvariant(a[n]) == char.ToLowerInvariant(b[n])) n++;
        return n;
    }

    /// <summary>The edit distance (insertions, deletions, substitutions) between two strings.</summary>
    public static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }

    /// <summary>"unknown KIND 'name' (did you mean a, b, c?)".</summary>
    public static string Unknown(string kind, string name, IEnumerable<string> known)
    {
        var s = Suggest(name, known);
        return s.Count == 0 ? $"unknown {kind} '{name}'" : $"unknown {kind} '{name}' (did you mean {string.Join(", ", s)}?)";
    }
}
