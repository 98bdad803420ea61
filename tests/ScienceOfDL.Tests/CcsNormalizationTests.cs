using static TorchSharp.torch;
using ScienceOfDL.Ccs.Analysis;
using ScienceOfDL.Ccs.Data;
using ScienceOfDL.Ccs.Probing;

namespace ScienceOfDL.Tests;

public class CcsNormalizationTests
{
    static HiddenPairs ThreeTemplates() =>
        PlantedData.Generate(new PlantedOptions { Count = 300, Dim = 32, Templates = 3, Seed = 4 }).Pairs;

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
        Assert.True(np > 2);   // unscaled: nuisance of size 5 dominates
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
            var perHalf = Normalization.Burns(raw, Scaling.PerHalf).Template(t).Pos
                .square().mean(new long[] { 0 }).sqrt();
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
}
