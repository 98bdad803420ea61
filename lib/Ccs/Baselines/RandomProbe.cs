using ScienceOfDL.Ccs.Probing;
using static TorchSharp.torch;

namespace ScienceOfDL.Ccs.Baselines;

/// <summary>
/// The untrained random probe, the floor of Farquhar et al.: CCS probes at their initialisation, one per seed. Score
/// them with <see cref="CcsProbe.Scores"/> ([seeds, n]) and <see cref="Metrics.Accuracies"/>. Fabien Roger found random
/// linear probes average ~75% on "easy" datasets, so the floor can be high.
/// </summary>
public static class RandomProbe
{
    public static CcsProbe Draw(HiddenPairs like, CcsOptions options) =>
        CcsProbe.Initial(like.Dim, options, options.RestartSeeds(), like.Device);
}
