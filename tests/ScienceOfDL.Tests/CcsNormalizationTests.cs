using ScienceOfDL.Ccs.Analysis;
using ScienceOfDL.Ccs.Data;
using ScienceOfDL.Ccs.Probing;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests;

public class CcsNormalizationTests
{
    static HiddenPairs ThreeTemplates() =>
        PlantedData
            .Generate(
                new PlantedOptions
                {
                    Count = 300,
                    Dim = 32,
                    Templates = 3,
                    Seed = 4,
                }
            )
            .Pairs;

    static double MaxAbs(Tensor t) => t.abs().max().item<float>();

    [Fact]
    public void Each_half_of_each_template_has_zero_mean()
    {
        var raw = ThreeTemplates();
        var norm = Normalization.Burns(raw);
        for (var t = 0; t < 3; t++)
        {
            var part = norm.Template(t);
            Assert.True(MaxAbs(part.Pos.mean(new long[] { 0 })) < 1e-5);
            Assert.True(MaxAbs(part.Neg.mean(new long[] { 0 })) < 1e-5);
            // The raw halves were far from centred: the claim and template offsets have size 5.
            Assert.True(MaxAbs(raw.Template(t).Pos.mean(new long[] { 0 })) > 1);
        }
        Assert.Equal(raw.Labels, norm.Labels);
        Assert.Equal(raw.Templates, norm.Templates);
    }

    [Fact]
    public void Per_half_scaling_makes_each_half_average_std_one()
    {
        var norm = Normalization.Burns(ThreeTemplates(), Scaling.PerHalf);
        for (var t = 0; t < 3; t++)
        {
            var part = norm.Template(t);
            Assert.Equal(1.0, Normalization.AverageStd(part.Pos).item<float>(), 4);
            Assert.Equal(1.0, Normalization.AverageStd(part.Neg).item<float>(), 4);
        }
    }

    [Fact]
    public void Shared_scaling_uses_one_factor_for_both_halves_and_none_only_centres()
    {
        var raw = ThreeTemplates();
        var shared = Normalization.Burns(raw, Scaling.Shared).Template(1);
        var none = Normalization.Burns(raw, Scaling.None).Template(1);
        var sp = Normalization.AverageStd(shared.Pos).item<float>();
        var sn = Normalization.AverageStd(shared.Neg).item<float>();
        Assert.Equal(1.0, (sp + sn) / 2, 4);
        // Same factor for both halves: the ratio of the halves' spreads is unchanged by scaling.
        var np = Normalization.AverageStd(none.Pos).item<float>();
        var nn = Normalization.AverageStd(none.Neg).item<float>();
        Assert.Equal(np / nn, sp / sn, 4);
        Assert.True(np > 2); // unscaled: nuisance of size 5 dominates
        var centred = raw.Template(1).Pos - raw.Template(1).Pos.mean(new long[] { 0 }, keepdim: true);
        Assert.True(MaxAbs(none.Pos - centred) < 1e-4);
    }

    [Fact]
    public void Per_dimension_scaling_gives_every_coordinate_of_each_half_unit_variance()
    {
        var raw = ThreeTemplates();
        var norm = Normalization.Burns(raw, Scaling.PerDimension);
        for (var t = 0; t < 3; t++)
        {
            var part = norm.Template(t);
            foreach (var half in new[] { part.Pos, part.Neg })
            {
                Assert.True(MaxAbs(half.mean(new long[] { 0 })) < 1e-5);
                var std = half.square().mean(new long[] { 0 }).sqrt();
                Assert.True(MaxAbs(std - 1) < 1e-4, $"template {t}: std up to {std.max().item<float>()}");
            }
            // The raw coordinates were far from unit variance, and a scalar scaling would not make them all equal.
            var perHalf = Normalization
                .Burns(raw, Scaling.PerHalf)
                .Template(t)
                .Pos.square()
                .mean(new long[] { 0 })
                .sqrt();
            Assert.True((perHalf.max() - perHalf.min()).item<float>() > 0.5);
        }
        // A constant coordinate stays zero instead of becoming NaN.
        var constant = raw with { Pos = raw.Pos.clone(), Neg = raw.Neg.clone() };
        constant.Pos[.., 0] = 3f;
        Assert.True(Normalization.Burns(constant, Scaling.PerDimension).Pos.isfinite().all().item<bool>());
    }

    [Fact]
    public void Test_split_is_normalised_with_its_own_statistics()
    {
        var raw = ThreeTemplates();
        var (train, test) = Metrics.TrainTestSplit(raw.Count, seed: 1);
        var normTest = Normalization.Burns(raw.Select(test));
        Assert.True(MaxAbs(normTest.Pos.mean(new long[] { 0 })) < 1e-5);
        // Normalising the full set and then selecting gives different numbers: the statistics are the split's own.
        var fromAll = Normalization.Burns(raw).Select(test);
        Assert.True(MaxAbs(fromAll.Pos - normTest.Pos) > 1e-3);
        Assert.Equal(120, test.Length);
        Assert.Equal(180, train.Length);
    }

    /// <summary>Topic-like pairs: each half is a large state for the answer word it ends with (one of 8 words, the two
    /// halves of a pair always different) plus ±truth along one direction (+ on the true half) and noise. The word
    /// states dominate the pair difference and are balanced against the truth.</summary>
    static (HiddenPairs Pairs, Tensor Truth) WordPairs(int n = 800, int d = 32, int words = 8, int seed = 2)
    {
        using var g = Seeds.Generator(seed);
        var rng = new Random(seed);
        var wordStates = randn(new long[] { words, d }, generator: g) * 5;
        var truth = randn(new long[] { d }, generator: g);
        truth /= truth.norm();
        var (a, b, labels) = (new long[n], new long[n], new int[n]);
        for (var i = 0; i < n; i++)
        {
            a[i] = rng.Next(words);
            b[i] = (a[i] + 1 + rng.Next(words - 1)) % words;
            labels[i] = i % 2;
        }
        var sign = tensor(labels.Select(l => l == 1 ? 1f : -1f).ToArray()).unsqueeze(1);
        Tensor Noise() => 0.3f * randn(new long[] { n, d }, generator: g);
        var pos = wordStates.index_select(0, tensor(a)) + sign * truth + Noise();
        var neg = wordStates.index_select(0, tensor(b)) - sign * truth + Noise();
        return (
            new HiddenPairs(pos, neg, labels, new int[n])
            {
                PosAnswers = a.Select(w => $" w{w}").ToArray(),
                NegAnswers = b.Select(w => $" w{w}").ToArray(),
            },
            truth
        );
    }

    [Fact]
    public void Per_answer_word_centring_is_per_half_centring_when_every_pair_ends_with_the_same_two_words()
    {
        var raw = ThreeTemplates();
        raw = raw with
        {
            PosAnswers = Enumerable.Repeat(" yes", raw.Count).ToArray(),
            NegAnswers = Enumerable.Repeat(" no", raw.Count).ToArray(),
        };
        foreach (var scaling in Enum.GetValues<Scaling>())
        {
            var half = Normalization.Burns(raw, scaling);
            var word = Normalization.Burns(raw, scaling, Centring.PerAnswerWord);
            Assert.True(MaxAbs(half.Pos - word.Pos) < 1e-4 && MaxAbs(half.Neg - word.Neg) < 1e-4, $"{scaling}");
        }
        Assert.Throws<ArgumentException>(() => Normalization.Burns(ThreeTemplates(), centring: Centring.PerAnswerWord));
    }

    [Fact]
    public void Per_answer_word_centring_removes_which_words_were_offered_and_lets_the_top_component_find_the_truth()
    {
        var (raw, truth) = WordPairs();
        var (train, test) = (
            raw.Select(Enumerable.Range(0, 500).ToArray()),
            raw.Select(Enumerable.Range(500, 300).ToArray())
        );
        double TpcAccuracy(Centring c)
        {
            var (tr, te) = (Normalization.Burns(train, Scaling.None, c), Normalization.Burns(test, Scaling.None, c));
            return Metrics.Accuracy(ScienceOfDL.Ccs.Baselines.Pca.Fit(tr).Scorer().Scores(te), te.Labels).Value;
        }
        // Per half, the difference is dominated by the two words offered: its top component is not the truth.
        Assert.InRange(TpcAccuracy(Centring.PerHalf), 0.4, 0.7);
        // Per answer word, what is left of the difference is the truth.
        Assert.True(TpcAccuracy(Centring.PerAnswerWord) > 0.95);
        // Every word's halves now average zero.
        var norm = Normalization.Burns(raw, Scaling.None, Centring.PerAnswerWord);
        var w0 = Enumerable.Range(0, raw.Count).Where(i => raw.PosAnswers![i] == " w0").ToArray();
        var w0neg = Enumerable.Range(0, raw.Count).Where(i => raw.NegAnswers![i] == " w0").ToArray();
        var states = cat(new[] { norm.Select(w0).Pos, norm.Select(w0neg).Neg });
        var before = cat(new[] { raw.Select(w0).Pos, raw.Select(w0neg).Neg });
        Assert.True(MaxAbs(states.mean(new long[] { 0 })) < 0.1 * MaxAbs(before.mean(new long[] { 0 })));
        // What per-answer-word centring leaves of a pair's difference lies along the truth.
        var pc1 = Metrics.ToArray(ScienceOfDL.Ccs.Baselines.Pca.Fit(norm).Components[0]);
        var cos = Math.Abs(DirectionSimilarity.Cosine(pc1, Metrics.ToArray(truth)));
        Assert.True(cos > 0.95, $"|cos(PC1, truth)| = {cos:F3}");
    }
}
