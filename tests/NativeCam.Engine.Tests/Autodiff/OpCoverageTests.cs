using System.Reflection;
using NativeCam.Engine.Autodiff;

namespace NativeCam.Engine.Tests.Autodiff;

/// <summary>Every op of the engine must have a float64 gradient check (a test marked [ChecksOp(typeof(ThatOp))]).</summary>
public class OpCoverageTests
{
    [Fact]
    public void EveryOpHasAGradientCheck()
    {
        var ops = typeof(Op).Assembly.GetTypes()
            .Where(t => typeof(Op).IsAssignableFrom(t) && !t.IsAbstract)
            .ToHashSet();
        var checkedOps = typeof(OpCoverageTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .SelectMany(m => m.GetCustomAttributes<ChecksOpAttribute>())
            .Select(a => a.Op)
            .ToHashSet();
        var missing = ops.Except(checkedOps).Select(t => t.Name).Order().ToArray();
        Assert.True(missing.Length == 0, "ops without a gradient check: " + string.Join(", ", missing));
        Assert.True(ops.Count >= 4, "the op list looks empty");
    }
}
