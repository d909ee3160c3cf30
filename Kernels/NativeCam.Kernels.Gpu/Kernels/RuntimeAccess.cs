using System.Runtime.CompilerServices;

// ILGPU's CPU accelerator runs kernels through an emitted assembly of this name: it must see the internal
// parameter structs (StridedLayout) passed to the kernels.
[assembly: InternalsVisibleTo("ILGPURuntime")]
