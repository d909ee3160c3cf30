using System.Text.Json;

namespace NativeCam.Cam.Diagnostics;

/// <summary>
/// Writes a <see cref="ModelProfile"/>'s last timed forward pass and head sweep as Chrome trace-event JSON (the
/// format chrome://tracing and Perfetto open): one complete event (<c>"ph": "X"</c>, <c>ts</c> and <c>dur</c> in µs)
/// per graph node, named after the node, with the op type as category and the shapes as arguments. The forward
/// pass is thread 1, the head sweep thread 2, where one more event ("reverse sweep", category "backward") covers
/// the reverse sweep and the utility after the head's nodes.
/// </summary>
public static class ChromeTrace
{
    /// <summary>Thread id of the forward pass's events.</summary>
    public const int ForwardThread = 1;

    /// <summary>Thread id of the head sweep's events.</summary>
    public const int HeadSweepThread = 2;

    /// <summary>Writes the trace of <paramref name="profile"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, ModelProfile profile, string processName)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        w.WriteStartObject();
        w.WriteString("displayTimeUnit", "ms");
        w.WriteStartArray("traceEvents");
        Metadata(w, "process_name", 0, processName);
        Metadata(w, "thread_name", ForwardThread, $"forward (batch {profile.InputShape[0]}, {profile.Threads} thread(s))");
        Metadata(w, "thread_name", HeadSweepThread, $"head sweep at {profile.Layer}");
        // the head sweep's events follow the forward's in time already (they were recorded later)
        foreach (var r in profile.LastForwardRuns) Node(w, r, ForwardThread);
        foreach (var r in profile.LastHeadSweepRuns) Node(w, r, HeadSweepThread);
        var (start, duration) = profile.LastHeadSweepBackward;
        if (profile.LastHeadSweepRuns.Count > 0)
        {
            w.WriteStartObject();
            w.WriteString("name", "reverse sweep");
            w.WriteString("cat", "backward");
            w.WriteString("ph", "X");
            w.WriteNumber("ts", start);
            w.WriteNumber("dur", duration);
            w.WriteNumber("pid", 1);
            w.WriteNumber("tid", HeadSweepThread);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Node(Utf8JsonWriter w, NodeRun r, int tid)
    {
        w.WriteStartObject();
        w.WriteString("name", r.Node.Name);
        w.WriteString("cat", r.Node.OpType);
        w.WriteString("ph", "X");
        w.WriteNumber("ts", r.StartUs);
        w.WriteNumber("dur", r.DurationUs);
        w.WriteNumber("pid", 1);
        w.WriteNumber("tid", tid);
        w.WriteStartObject("args");
        w.WriteString("inputs", string.Join(" ", r.InputShapes.Select(Shape)));
        w.WriteString("outputs", string.Join(" ", r.OutputShapes.Select(Shape)));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static string Shape(int[]? s) => s is null ? "-" : $"[{string.Join("x", s)}]";

    private static void Metadata(Utf8JsonWriter w, string name, int tid, string value)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("ph", "M");
        w.WriteNumber("pid", 1);
        w.WriteNumber("tid", tid);
        w.WriteStartObject("args");
        w.WriteString("name", value);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
