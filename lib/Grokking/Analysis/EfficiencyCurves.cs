using ScienceOfDL.Statistics;

namespace ScienceOfDL.Grokking;

/// <summary>The logit a kind of network reaches against the parameter norm it holds, at one training-set size, across
/// the weight decays of the study (Varma et al. App. B): a power law ln norm = <c>Intercept</c> + <c>Slope</c> · ln
/// logit fitted to its usable runs, which lie between <c>LogitLow</c> and <c>LogitHigh</c>.</summary>
public sealed record EfficiencyCurve(
    CircuitKind Kind,
    int TrainSize,
    int Runs,
    double LogitLow,
    double LogitHigh,
    double NormLow,
    double NormHigh,
    double Intercept,
    double Slope
)
{
    /// <summary>The norm this kind of network needs for <paramref name="logit"/> at this D: its efficiency.</summary>
    public double NormAt(double logit) => Math.Exp(Intercept + Slope * Math.Log(logit));

    /// <summary>Does the level lie between this curve's own points (read by interpolation, not
    /// extrapolation)?</summary>
    public bool Reaches(double logit) => LogitLow <= logit && logit <= LogitHigh;
}

/// <summary>The norm one curve needs for one logit level, with a bootstrap 95% interval over seeds;
/// <c>WithinCurve</c> is false where the level lies outside the curve's own points.</summary>
public sealed record NormAtLogit(CircuitKind Kind, int TrainSize, double Logit, Interval Norm, bool WithinCurve);

/// <summary>Where D_crit lies relative to the memorising sizes: between two of them, or (no crossing) below the
/// smallest (memorising needs more norm than generalising at every D) or above the largest (less at every D).</summary>
public enum CrossingSide
{
    Between,
    BelowSmallest,
    AboveLargest,
    Touches,
}

/// <summary>D_crit at one logit level: the D where the memorising networks' norm for that logit reaches the
/// generalising networks' (mean over their sizes), with a bootstrap 95% interval over seeds.</summary>
public sealed record CriticalSizeAtLogit(
    double Logit,
    CrossingSide Side,
    double? CriticalSize,
    Interval? Interval,
    double? ShareOfTable,
    int SmallestSize,
    int LargestSize
)
{
    /// <summary>"262 [240, 290]", or where D_crit lies when the curves do not cross.</summary>
    public string Reading =>
        Side switch
        {
            CrossingSide.Between => Interval?.ToString() ?? $"{CriticalSize:F0}",
            CrossingSide.BelowSmallest => $"below {SmallestSize}",
            CrossingSide.AboveLargest => $"above {LargestSize}",
            _ => "touches without crossing",
        };
}

/// <summary>The usable runs of one (kind, D, weight decay): their mean norm and logit, a point of the curve.</summary>
public sealed record EfficiencyPoint(
    CircuitKind Kind,
    int TrainSize,
    double WeightDecay,
    int Runs,
    double ParameterNorm,
    double CorrectLogit,
    double TrainLoss
);

/// <summary>The mean logit and norm of one kind's usable runs at one value of Adam's ε: how far ε moves networks
/// along their curves.</summary>
public sealed record MeansAtEps(double Eps, CircuitKind Kind, int Runs, double CorrectLogit, double ParameterNorm);

/// <summary>The paper's two predictions about the curves, read at one logit: the memorising norm rises from the
/// smallest D to the largest, and the generalising norms agree to within 5% of their mean across D.</summary>
public sealed record CurveShape(double Logit, bool MemorisingRises, bool GeneralisingFlat);

/// <summary>Efficiency read the paper's way: per (kind, D) a curve of norm against logit across weight decays, the
/// norm each curve needs at fixed logit levels, and D_crit where memorising networks need as much norm as generalising
/// ones.</summary>
public static class EfficiencyCurves
{
    /// <summary>The curves' points: the mean of the usable runs at each (kind, D, weight decay), in order of weight
    /// decay within each curve.</summary>
    public static List<EfficiencyPoint> Points(IEnumerable<EfficiencyRun> runs) =>
        runs.Where(r => r.Usable)
            .GroupBy(r => (r.Kind, r.TrainSize, r.WeightDecay))
            .OrderBy(g => g.Key.Kind)
            .ThenBy(g => g.Key.TrainSize)
            .ThenBy(g => g.Key.WeightDecay)
            .Select(g => new EfficiencyPoint(
                g.Key.Kind,
                g.Key.TrainSize,
                g.Key.WeightDecay,
                g.Count(),
                g.Average(r => r.ParameterNorm),
                g.Average(r => r.CorrectLogit),
                g.Average(r => r.TrainLoss)
            ))
            .ToList();

    /// <summary>Per ε of a sweep and per kind: the usable runs' mean logit and norm (<see cref="MeansAtEps"/>).
    /// </summary>
    public static List<MeansAtEps> MeansByEps(IEnumerable<(double Eps, List<EfficiencyRun> Runs)> sweep) =>
        sweep
            .SelectMany(x =>
                x.Runs.Where(r => r.Usable)
                    .GroupBy(r => r.Kind)
                    .OrderBy(g => g.Key)
                    .Select(g => new MeansAtEps(
                        x.Eps,
                        g.Key,
                        g.Count(),
                        g.Average(r => r.CorrectLogit),
                        g.Average(r => r.ParameterNorm)
                    ))
            )
            .ToList();

    /// <summary>Does the memorising norm rise with D, and is the generalising norm flat in D, at
    /// <paramref name="logit"/> (<see cref="CurveShape"/>)?</summary>
    public static CurveShape Shape(IEnumerable<NormAtLogit> norms, double logit)
    {
        var at = norms.Where(n => n.Logit == logit).OrderBy(n => n.TrainSize).ToList();
        var mem = at.Where(n => n.Kind == CircuitKind.Memorising).Select(n => n.Norm.Value).ToList();
        var gen = at.Where(n => n.Kind == CircuitKind.Generalising).Select(n => n.Norm.Value).ToList();
        return new CurveShape(
            logit,
            mem.Count > 1 && mem[^1] > mem[0],
            gen.Count > 0 && gen.Max() - gen.Min() <= 0.05 * gen.Average()
        );
    }

    /// <summary>One curve per (kind, D) from the usable runs, where they reach at least two distinct logits.</summary>
    public static List<EfficiencyCurve> Fit(IEnumerable<EfficiencyRun> runs) =>
        runs.Where(r => r.Usable && r.CorrectLogit > 0)
            .GroupBy(r => (r.Kind, r.TrainSize))
            .OrderBy(g => g.Key.Kind)
            .ThenBy(g => g.Key.TrainSize)
            .Select(g => FitOne(g.Key.Kind, g.Key.TrainSize, g.ToList()))
            .OfType<EfficiencyCurve>()
            .ToList();

    static EfficiencyCurve? FitOne(CircuitKind kind, int size, IReadOnlyList<EfficiencyRun> runs)
    {
        if (runs.Select(r => r.CorrectLogit).Distinct().Count() < 2)
            return null;
        var fit = LineFit.Of(runs.Select(r => Math.Log(r.CorrectLogit)), runs.Select(r => Math.Log(r.ParameterNorm)));
        return new EfficiencyCurve(
            kind,
            size,
            runs.Count,
            runs.Min(r => r.CorrectLogit),
            runs.Max(r => r.CorrectLogit),
            runs.Min(r => r.ParameterNorm),
            runs.Max(r => r.ParameterNorm),
            fit.Intercept,
            fit.Slope
        );
    }

    /// <summary>The logits every curve reaches: from the highest curve's lowest point to the lowest curve's highest
    /// (null when the curves share no logit).</summary>
    public static (double Low, double High)? CommonLogits(IReadOnlyList<EfficiencyCurve> curves)
    {
        if (curves.Count == 0)
            return null;
        var (low, high) = (curves.Max(c => c.LogitLow), curves.Min(c => c.LogitHigh));
        return low <= high ? (low, high) : null;
    }

    /// <summary><paramref name="count"/> logit levels spread evenly inside the logits every curve reaches (at 1/(n+1),
    /// 2/(n+1), … of that range); where the curves share none, across the range between the lowest and highest curve
    /// means, where every reading is a fit beyond some curve's points (and says so).</summary>
    public static double[] Levels(IReadOnlyList<EfficiencyCurve> curves, int count = 3)
    {
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), $"At least one level, not {count}.");
        if (curves.Count == 0)
            return [];
        var (low, high) = CommonLogits(curves)
            ?? (curves.Min(c => (c.LogitLow + c.LogitHigh) / 2), curves.Max(c => (c.LogitLow + c.LogitHigh) / 2));
        return Enumerable
            .Range(1, count)
            .Select(i => Math.Round(low + (high - low) * i / (count + 1), 1, MidpointRounding.AwayFromZero))
            .ToArray();
    }

    /// <summary>Every curve's norm at every level, each with a bootstrap interval that resamples the curve's
    /// seeds (a seed brings all its weight decays).</summary>
    public static List<NormAtLogit> Norms(
        IReadOnlyList<EfficiencyRun> runs,
        IReadOnlyList<double> levels,
        int seed = 0,
        int resamples = 1000
    )
    {
        var curves = Fit(runs);
        var draws = BootstrapCurves(runs, seed, resamples);
        return (
            from c in curves
            from level in levels
            let values = draws
                .Select(d => d.FirstOrDefault(x => x.Kind == c.Kind && x.TrainSize == c.TrainSize))
                .OfType<EfficiencyCurve>()
                .Select(x => x.NormAt(level))
                .ToList()
            select new NormAtLogit(
                c.Kind,
                c.TrainSize,
                level,
                Bootstrap.Percentiles(c.NormAt(level), values, resamples)
                    ?? new Interval(c.NormAt(level), double.NaN, double.NaN),
                c.Reaches(level)
            )
        ).ToList();
    }

    /// <summary>D_crit at each level (<see cref="CriticalSizeAtLogit"/>): the memorising norm at that logit against D
    /// (log-linear between sizes; the crossing at the largest D if noise makes several) against the generalising norm
    /// there, the mean over the generalising sizes (the paper finds it does not depend on D). The interval resamples
    /// the seeds of every (kind, D).</summary>
    public static List<CriticalSizeAtLogit> CriticalSizes(
        IReadOnlyList<EfficiencyRun> runs,
        IReadOnlyList<double> levels,
        int tableSize,
        int seed = 0,
        int resamples = 1000
    )
    {
        var draws = BootstrapCurves(runs, seed, resamples);
        var curves = Fit(runs);
        var sizes = curves.Where(c => c.Kind == CircuitKind.Memorising).Select(c => c.TrainSize).ToList();
        return levels
            .Select(level =>
            {
                var (point, side) = Crossing(curves, level);
                var values = draws.Select(d => Crossing(d, level).Size).OfType<double>().ToList();
                return new CriticalSizeAtLogit(
                    level,
                    side,
                    point,
                    Bootstrap.Percentiles(point, values, resamples),
                    point / tableSize,
                    sizes.DefaultIfEmpty().Min(),
                    sizes.DefaultIfEmpty().Max()
                );
            })
            .ToList();
    }

    /// <summary>The memorising norm at <paramref name="level"/> minus the generalising one, per memorising D.</summary>
    public static List<(int TrainSize, double Gap)> Gaps(IReadOnlyList<EfficiencyCurve> curves, double level)
    {
        var gen = curves.Where(c => c.Kind == CircuitKind.Generalising).ToList();
        if (gen.Count == 0)
            return [];
        var g = gen.Average(c => c.NormAt(level));
        return curves
            .Where(c => c.Kind == CircuitKind.Memorising)
            .Select(c => (c.TrainSize, c.NormAt(level) - g))
            .ToList();
    }

    static (double? Size, CrossingSide Side) Crossing(IReadOnlyList<EfficiencyCurve> curves, double level)
    {
        var gaps = Gaps(curves, level);
        if (gaps.Count == 0)
            return (null, CrossingSide.Touches);
        if (CrossingSize(gaps, 0) is double d)
            return (d, CrossingSide.Between);
        return gaps.All(x => x.Gap > 0) ? (null, CrossingSide.BelowSmallest)
            : gaps.All(x => x.Gap < 0) ? (null, CrossingSide.AboveLargest)
            : (null, CrossingSide.Touches);
    }

    /// <summary>The D (interpolated in log D) where a memorising quantity crosses the generalising network's value of
    /// it — the norm needed for a logit, rising with D, or a test accuracy falling with D′. With noisy curves that
    /// cross more than once, the crossing at the largest D counts: beyond it memorisation stays the worse deal. Null if
    /// the curve does not cross inside the measured sizes.</summary>
    public static double? CrossingSize(IEnumerable<(int TrainSize, double Value)> memorising, double generalising)
    {
        var pts = memorising.OrderBy(p => p.TrainSize).ToList();
        for (var i = pts.Count - 2; i >= 0; i--)
        {
            var (a, b) = (pts[i].Value - generalising, pts[i + 1].Value - generalising);
            if (b == 0)
                return pts[i + 1].TrainSize;
            if (a != 0 && Math.Sign(a) != Math.Sign(b))
                return Math.Exp(
                    Math.Log(pts[i].TrainSize)
                        + a / (a - b) * (Math.Log(pts[i + 1].TrainSize) - Math.Log(pts[i].TrainSize))
                );
        }
        return pts.Count == 1 && pts[0].Value == generalising ? pts[0].TrainSize : null;
    }

    /// <summary>The curves refitted to <paramref name="resamples"/> bootstrap draws of the seeds of every (kind, D);
    /// the same seed gives the same draws, so norms and D_crit share their resamples.</summary>
    static List<List<EfficiencyCurve>> BootstrapCurves(IEnumerable<EfficiencyRun> runs, int seed, int resamples)
    {
        var cells = Cells(runs);
        var rng = new Random(seed);
        return Enumerable.Range(0, resamples).Select(_ => Fit(Resample(cells, rng))).ToList();
    }

    /// <summary>The usable runs of every (kind, D), by seed.</summary>
    static List<List<List<EfficiencyRun>>> Cells(IEnumerable<EfficiencyRun> runs) =>
        runs.Where(r => r.Usable)
            .GroupBy(r => (r.Kind, r.TrainSize))
            .Select(g => g.GroupBy(r => r.Seed).Select(s => s.ToList()).ToList())
            .ToList();

    static List<EfficiencyRun> Resample(List<List<List<EfficiencyRun>>> cells, Random rng) =>
        cells.SelectMany(seeds => seeds.SelectMany(_ => seeds[rng.Next(seeds.Count)])).ToList();
}
