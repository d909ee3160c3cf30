namespace NativeCam.Engine; internal static class Placeholder { }
