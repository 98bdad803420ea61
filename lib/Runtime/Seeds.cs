using static TorchSharp.torch;

namespace ScienceOfDL;

/// <summary>Seeding: every random choice in the library takes a seed; these helpers turn one into generators.</summary>
public static class Seeds
{
    /// <summary>A private TorchSharp generator, so one experiment's draws do not depend on what ran before
    /// it.</summary>
    public static Generator Generator(int seed) => new Generator((ulong)seed);

    /// <summary>A deterministic per-run seed derived from a base seed and an index (restart, sweep point...).</summary>
    public static int Derive(int seed, int index) => unchecked(seed * 1_000_003 + index * 7919 + 17) & int.MaxValue;
}
