using ScienceOfDL.Results;
using ScienceOfDL.Statistics;
using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>Where one trained network ends up: its parameter norm and the (mean, training-set) correct-class logit that
/// norm buys. <c>Kind</c> is "memorising" (random labels, so nothing but memorisation can fit them) or
/// "generalising".</summary>
/// <summary>One network of an efficiency sweep: which kind, on how many examples, at which weight decay and
/// seed.</summary>
public sealed record EfficiencyJob(string Kind, int TrainSize, double WeightDecay, int Seed);

/// <summary>D_crit at one weight decay: the crossing if the curves cross, else where it lies.</summary>
public sealed record CriticalSizeAt(double WeightDecay, double? CriticalSize, string Where);

/// <summary>Memorising norm at the smallest and largest D of one weight decay, the generalising network beside it, and
/// the memorising sizes it beats (at least as much logit for at most as much norm).</summary>
public sealed record NormTrend(double WeightDecay, int SmallestD, double MemorisingNormSmallest, int LargestD,
    double MemorisingNormLargest, double? GeneralisingNorm, double? GeneralisingLogit, double? GeneralisingTestAccuracy,
    int[] BeatenSizes);

public sealed record EfficiencyPoint(string Kind, int TrainSize, double WeightDecay, int Seed, int Steps,
    double ParameterNorm, double CorrectLogit, double TrainLoss, double TrainAccuracy, double TestAccuracy);

/// <summary>
/// Circuit efficiency as measured in Varma et al. (2023) §5.1: train networks that can only memorise (random labels)
/// and networks that generalise, at several training-set sizes D and weight decays; weight decay sets how much
/// parameter norm each network keeps, so across weight decays each (kind, D) traces how much logit a given norm buys.
/// Memorising more points should need more norm for the same logit; the generalising circuit's need should not depend
/// on D. D_crit is where the two cross.
/// </summary>
public static class Efficiency
{
    public const string Memorising = "memorising", Generalising = "generalising";

    /// <summary>A fresh network trained on D random-label examples (its own seed for labels, split and init).</summary>
    public static EfficiencyPoint Memorise(OperationTable table, int trainSize, double weightDecay,
        TrainConfig config, int seed,
        TransformerConfig? model = null, Device? device = null, CancellationToken cancel = default)
    {
        var split = Split.BySize(table.WithRandomLabels(seed), trainSize, seed);
        using var state = TrainingState.Create(model ?? TransformerConfig.For(table), seed, device);
        return Finish(Memorising, state, split, weightDecay, config, seed, cancel);
    }

    /// <summary>A generalising network: a grokked checkpoint trained further on D correct-label examples at this weight
    /// decay, so it settles at the norm that weight decay allows (as the paper's App. A.4 runs start from a C_gen
    /// network).</summary>
    public static EfficiencyPoint Generalise(string grokkedCheckpoint, OperationTable table, int trainSize,
        double weightDecay,
        TrainConfig config, int seed, Device? device = null, CancellationToken cancel = default)
    {
        var split = Split.BySize(table, trainSize, seed);
        using var state = TrainingState.Load(grokkedCheckpoint, device);
        state.ResetOptimizer();
        return Finish(Generalising, state, split, weightDecay, config, seed, cancel);
    }

    static EfficiencyPoint Finish(string kind, TrainingState state, Split split, double weightDecay,
        TrainConfig config, int seed, CancellationToken cancel)
    {
        var last = Trainer.Train(state, split, config with { WeightDecay = weightDecay, EvalEvery = config.Steps },
            cancel: cancel)[^1];
        return new EfficiencyPoint(kind, split.TrainSize, weightDecay, seed, config.Steps, last.ParameterNorm,
            last.CorrectLogit,
            last.TrainLoss, last.TrainAccuracy, last.TestAccuracy);
    }

    /// <summary>
    /// Every job (kind, D, weight decay, seed) not yet saved under the sweep's key — the table, the model sizes, every
    /// training setting and run length, and the exact grokked checkpoint the generalising networks start from — each
    /// appended as it finishes, so an interrupted sweep resumes and a changed setting recomputes. Returns the points of
    /// these jobs.
    /// </summary>
    public static List<EfficiencyPoint> Sweep(OperationTable table, IEnumerable<EfficiencyJob> jobs, TrainConfig config,
        string grokkedCheckpoint, ResultsStore store, TransformerConfig? model = null, Device? device = null,
        IProgress<EfficiencyPoint>? progress = null, CancellationToken cancel = default)
    {
        return store.Sweep(SweepKey(table, config, grokkedCheckpoint, model), jobs, job => job.Kind == Memorising
            ? Memorise(table, job.TrainSize, job.WeightDecay, config, job.Seed, model, device, cancel)
            : Generalise(grokkedCheckpoint, table, job.TrainSize, job.WeightDecay, config, job.Seed, device, cancel),
                progress, cancel);
    }

    /// <summary>The key a sweep is saved under: the table, the model sizes, every training setting and the run length,
    /// and the exact grokked checkpoint the generalising networks start from (each job carries kind, D, weight decay,
    /// seed).</summary>
    public static ResultKey SweepKey(OperationTable table, TrainConfig config, string grokkedCheckpoint,
        TransformerConfig? model = null) =>
        ResultKey.Of($"efficiency-p{table.P}", new
        {
            Table = $"{table.Operation} mod {table.P}", Model = model ?? TransformerConfig.For(table),
                Train = config.Settings(),
            config.Steps, Grokked = "sha256 " + TrainingState.Checksum(grokkedCheckpoint), Trainer.CodeVersion,
        });

    /// <summary>Parameter norm a network of this (kind, D) needs to reach <paramref name="logit"/>: a least-squares
    /// power law norm = a·logit^b through its points (one per weight decay; <see cref="PowerLawFit"/>), as in the
    /// paper's toy model where a circuit's norm grows as a power of its strength. Extrapolates beyond the measured
    /// logits; null with fewer than two usable points.</summary>
    public static double? NormForLogit(IEnumerable<EfficiencyPoint> sameKindAndSize, double logit)
    {
        var pts = sameKindAndSize.ToList();
        var fit = PowerLawFit.TryOf(pts.Select(p => p.CorrectLogit), pts.Select(p => p.ParameterNorm));
        return logit <= 0 ? null : fit?.At(logit);
    }

    /// <summary>A logit every (kind, D) curve reached between its weight decays (the middle of the overlap of their
    /// ranges), so the norm needed for it can be interpolated for all of them; null if the ranges do not
    /// overlap.</summary>
    public static double? CommonLogit(IEnumerable<EfficiencyPoint> points)
    {
        var ranges = points.GroupBy(p => (p.Kind, p.TrainSize)).Select(g =>
            (Low: g.Min(p => p.CorrectLogit), High: g.Max(p => p.CorrectLogit))).ToList();
        if (ranges.Count == 0) return null;
        var (low, high) = (ranges.Max(r => r.Low), ranges.Min(r => r.High));
        return low <= high ? (low + high) / 2 : null;
    }

    /// <summary>The D (interpolated in log D) where a memorising quantity crosses the generalising network's value of
    /// it — e.g. the norm needed for a logit (rising with D), or the logit reached at one weight decay (falling with
    /// D). With noisy curves that cross more than once, the crossing at the largest D counts: beyond it memorisation
    /// stays the worse deal. Null if the curve does not cross inside the measured sizes.</summary>
    public static double? CrossingSize(IEnumerable<(int TrainSize, double Value)> memorising, double generalising)
    {
        var pts = memorising.OrderBy(p => p.TrainSize).ToList();
        for (var i = pts.Count - 2; i >= 0; i--)
        {
            var (a, b) = (pts[i].Value - generalising, pts[i + 1].Value - generalising);
            if (b == 0) return pts[i + 1].TrainSize;
            if (a != 0 && Math.Sign(a) != Math.Sign(b))
                return Math.Exp(Interpolate(0, a, b, Math.Log(pts[i].TrainSize), Math.Log(pts[i + 1].TrainSize)));
        }
        return pts.Count == 1 && pts[0].Value == generalising ? pts[0].TrainSize : null;
    }

    /// <summary>D_crit at each weight decay: where the memorising networks' logit falls to the generalising network's
    /// at the same weight decay (at equilibrium the more efficient circuit is the stronger one).</summary>
    public static List<(double WeightDecay,
        double? CriticalSize)> CriticalSizeByWeightDecay(IReadOnlyCollection<EfficiencyPoint> points) =>
        points.Select(p => p.WeightDecay).Distinct().OrderBy(w => w).Select(wd =>
        {
            var gen = points.Where(p => p.Kind == Generalising && p.WeightDecay == wd).ToList();
            var mem = points.Where(p => p.Kind == Memorising && p.WeightDecay == wd).Select(p =>
                (p.TrainSize, p.CorrectLogit));
            return (wd, gen.Count == 0 ? null : CrossingSize(mem, gen.Average(p => p.CorrectLogit)));
        }).ToList();

    /// <summary>D_crit at one weight decay in words a table can show: the crossing, or which side of the measured sizes
    /// it lies on when the memorising logits never reach (or never fall to) the generalising network's.</summary>
    public static CriticalSizeAt CriticalSizeAt(IReadOnlyCollection<EfficiencyPoint> points, double weightDecay)
    {
        var gen = points.Where(p => p.Kind == Generalising && p.WeightDecay == weightDecay).ToList();
        var mem = points.Where(p => p.Kind == Memorising && p.WeightDecay == weightDecay).ToList();
        if (gen.Count == 0 || mem.Count == 0) return new(weightDecay, null, "no generalising or memorising network");
        var g = gen.Average(p => p.CorrectLogit);
        var crossing = CrossingSize(mem.Select(p => (p.TrainSize, p.CorrectLogit)), g);
        if (crossing is double d) return new(weightDecay, d, "memorising logit falls to the generalising one");
        return new(weightDecay, null, mem.All(m => m.CorrectLogit < g)
            ? $"below {mem.Min(m => m.TrainSize)}: the generalising logit {g:F1} beats every memorising one"
            : mem.All(m => m.CorrectLogit > g)
                ? $"above {mem.Max(m => m.TrainSize)}: every memorising logit beats {g:F1}"
            : "the curves touch without crossing");
    }

    /// <summary>How the memorising norm grows with D at one weight decay, and at which D the generalising network gets
    /// at least as much logit for at most as much norm.</summary>
    public static NormTrend NormTrend(IReadOnlyCollection<EfficiencyPoint> points, double weightDecay)
    {
        var mem = points.Where(p => p.Kind == Memorising && p.WeightDecay == weightDecay).OrderBy(p =>
            p.TrainSize).ToList();
        var gen = points.FirstOrDefault(p => p.Kind == Generalising && p.WeightDecay == weightDecay);
        var beaten = gen is null ? []
            : mem.Where(m => gen.CorrectLogit >= m.CorrectLogit && gen.ParameterNorm <= m.ParameterNorm)
            .Select(m => m.TrainSize).ToArray();
        return new(weightDecay, mem[0].TrainSize, mem[0].ParameterNorm, mem[^1].TrainSize, mem[^1].ParameterNorm,
            gen?.ParameterNorm, gen?.CorrectLogit, gen?.TestAccuracy, beaten);
    }

    static double Interpolate(double x, double x0, double x1, double y0, double y1) => x1 == x0 ? y0 : y0 + (x - x0)
        * (y1 - y0) / (x1 - x0);
}
