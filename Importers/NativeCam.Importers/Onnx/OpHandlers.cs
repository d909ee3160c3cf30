namespace NativeCam.Importers.Onnx;

/// <summary>Builds the outputs of one node (see <see cref="NodeContext"/>).</summary>
internal delegate void OpHandler(NodeContext ctx);

/// <summary>
/// The table from (domain, op_type) to handler. Handlers live in Handlers/, one family per file, each registering
/// its ops in a static <c>Register</c> method listed here.
/// </summary>
internal static class OpHandlers
{
    private static readonly Dictionary<(string Domain, string Op), OpHandler> Table = Build();

    /// <summary>The handler of an op, or null.</summary>
    public static OpHandler? Find(string domain, string op) =>
        Table.TryGetValue((domain is "ai.onnx" ? "" : domain, op), out var h) ? h : null;

    /// <summary>Every supported (domain, op) pair.</summary>
    public static IEnumerable<(string Domain, string Op)> Supported => Table.Keys;

    private static Dictionary<(string, string), OpHandler> Build()
    {
        var t = new Dictionary<(string, string), OpHandler>();
        void Add(string op, OpHandler h, string domain)
        {
            if (!t.TryAdd((domain, op), h)) throw new InvalidOperationException($"op {domain}:{op} registered twice");
        }
        Handlers.ElementwiseHandlers.Register(Add);
        Handlers.ConvPoolHandlers.Register(Add);
        Handlers.ShapeHandlers.Register(Add);
        Handlers.LayoutHandlers.Register(Add);
        Handlers.GeneratorHandlers.Register(Add);
        Handlers.ResizeHandlers.Register(Add);
        Handlers.ActivationHandlers.Register(Add);
        Handlers.ReduceHandlers.Register(Add);
        Handlers.NormalizationHandlers.Register(Add);
        Handlers.QuantizedHandlers.Register(Add);
        Handlers.FusedHandlers.Register(Add);
        return t;
    }
}

/// <summary>Registration callback: op type, handler, domain ("" for ai.onnx).</summary>
internal delegate void RegisterOp(string op, OpHandler handler, string domain = "");
