using System.Runtime.CompilerServices;

namespace ImapRx.Wire;

/// <summary>
/// The reader's hot methods are compiled fully optimised on first call (<c>MethodImplOptions.AggressiveOptimization</c>,
/// spelled as its value because netstandard2.0 has no name for it; older runtimes ignore it). Without it they start as
/// unoptimised tier-0 code and wait for the runtime's tiering to catch up, which in a short header sync, or on a busy
/// machine where the background compiler gets little CPU, is most of the sync: measured here on 20,000 messages, the
/// reader took 2-3x the CPU with tiering than without.
/// </summary>
internal static class WireJit
{
    internal const MethodImplOptions Hot = (MethodImplOptions)512;
}
