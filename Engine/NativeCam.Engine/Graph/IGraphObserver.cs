namespace NativeCam.Engine.Graph;

/// <summary>
/// Watches a <see cref="GraphExecutor"/> run its nodes (e.g. a profiler timing each one). Called on the thread that
/// runs the graph, right before and right after each node's compute. Kernels that run asynchronously (GPU backends)
/// may still be working when <see cref="NodeFinished"/> is called.
/// </summary>
public interface IGraphObserver
{
    /// <summary>The node is about to run on <paramref name="inputs"/> (aligned with <see cref="GraphNode.Inputs"/>; null for an omitted one).</summary>
    void NodeStarted(GraphNode node, IReadOnlyList<Tensor?> inputs);

    /// <summary>The node returned <paramref name="outputs"/>.</summary>
    void NodeFinished(GraphNode node, IReadOnlyList<Tensor> outputs);
}
