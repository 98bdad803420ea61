using ScienceOfDL.Ccs.Data;
using ScienceOfDL.Ccs.Experiments;
using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.Grokking;
using ScienceOfDL.LanguageModels;
using ScienceOfDL.Results;

namespace ScienceOfDL.Tests;

/// <summary>For each kind of saved result, every setting it depends on is part of its key: change any one and the
/// result is another file (so it is recomputed), keep all and the key is the same (so the saved result is
/// reused).</summary>
public class ResultKeysTests : TinyGrokking
{
    static void AllDiffer(ResultKey key, IEnumerable<ResultKey> changed)
    {
        var list = changed.ToList();
        Assert.All(list, k => Assert.NotEqual(key.Stem, k.Stem));
        Assert.Equal(list.Count, list.Select(k => k.Stem).Distinct().Count());
    }

    static IEnumerable<CcsOptions> EachCcsOptionChanged(CcsOptions o) =>
        [
            o with
            {
                Restarts = o.Restarts + 1,
            },
            o with
            {
                Epochs = o.Epochs + 1,
            },
            o with
            {
                LearningRate = o.LearningRate * 2,
            },
            o with
            {
                WeightDecay = o.WeightDecay + 0.1,
            },
            o with
            {
                Confidence = o.Confidence == ConfidenceTerm.Burns ? ConfidenceTerm.Symmetric : ConfidenceTerm.Burns,
            },
            o with
            {
                Kind = ProbeKind.Mlp,
            },
            o with
            {
                Init = o.Init == ProbeInit.Default ? ProbeInit.Zero : ProbeInit.Default,
            },
            o with
            {
                Hidden = o.Hidden + 1,
            },
            o with
            {
                Seed = o.Seed + 1,
            },
        ];

    [Fact]
    public void Ccs_layer_sweeps_and_pca_summaries_are_keyed_by_model_token_split_and_every_ccs_option()
    {
        var o = CcsOptions.BurnsPaper;
        foreach (
            var key in new Func<string, TokenPosition, int, CcsOptions, ResultKey>[]
            {
                LayerSweep.Key,
                (m, t, s, c) => CcsPcaSummary.Key(m, t, s, c),
                (m, t, s, c) => RepresentationStudy.Key(m + t, s, c),
            }
        )
        {
            Assert.Equal(key("m", TokenPosition.Last, 0, o), key("m", TokenPosition.Last, 0, CcsOptions.BurnsPaper));
            AllDiffer(
                key("m", TokenPosition.Last, 0, o),
                [
                    key("m2", TokenPosition.Last, 0, o),
                    key("m", TokenPosition.Mean, 0, o),
                    key("m", TokenPosition.Last, 1, o),
                    .. EachCcsOptionChanged(o).Select(c => key("m", TokenPosition.Last, 0, c)),
                ]
            );
        }
    }

    [Fact]
    public void Pca_summaries_and_distractor_sweeps_are_keyed_by_the_scaling()
    {
        var o = CcsOptions.BurnsPaper;
        AllDiffer(
            CcsPcaSummary.Key("m", TokenPosition.Answer, 0, o),
            [
                .. Enum.GetValues<Scaling>()
                    .Where(s => s != Scaling.PerHalf)
                    .Select(s => CcsPcaSummary.Key("m", TokenPosition.Answer, 0, o, s)),
            ]
        );
        Assert.Equal(
            CcsPcaSummary.Key("m", TokenPosition.Answer, 0, o),
            CcsPcaSummary.Key("m", TokenPosition.Answer, 0, o, Scaling.PerHalf)
        );
        AllDiffer(
            DistractorExperiment.SweepKey("k", "m", TokenPosition.Answer, 0, o, 3),
            [
                .. Enum.GetValues<Scaling>()
                    .Where(s => s != Scaling.PerHalf)
                    .Select(s => DistractorExperiment.SweepKey("k", "m", TokenPosition.Answer, 0, o, 3, scaling: s)),
            ]
        );
    }

    [Fact]
    public void Distractor_sweeps_are_keyed_by_the_centring_and_grids_by_model_split_and_options()
    {
        var o = CcsOptions.BurnsPaper;
        Assert.NotEqual(
            DistractorExperiment.SweepKey("k", "m", TokenPosition.Answer, 0, o, 3).Stem,
            DistractorExperiment
                .SweepKey("k", "m", TokenPosition.Answer, 0, o, 3, centring: Centring.PerAnswerWord)
                .Stem
        );
        Assert.Equal(
            DistractorExperiment.GridKey("g", "m", 0, o),
            DistractorExperiment.GridKey("g", "m", 0, CcsOptions.BurnsPaper)
        );
        AllDiffer(
            DistractorExperiment.GridKey("g", "m", 0, o),
            [
                DistractorExperiment.GridKey("g2", "m", 0, o),
                DistractorExperiment.GridKey("g", "m2", 0, o),
                DistractorExperiment.GridKey("g", "m", 1, o),
                .. EachCcsOptionChanged(o).Select(c => DistractorExperiment.GridKey("g", "m", 0, c)),
            ]
        );
        // Every CCS result key names the study split, so results of the old 60/40 split are never reused.
        Assert.Contains(ScienceOfDL.Ccs.Analysis.Metrics.StudySplitName, RepresentationStudy.Key("m", 0, o).Settings);
        Assert.Contains(
            ScienceOfDL.Ccs.Analysis.Metrics.StudySplitName,
            CcsPcaSummary.Key("m", TokenPosition.Answer, 0, o).Settings
        );
    }

    [Fact]
    public void Distractor_sweeps_are_keyed_by_kind_model_token_split_options_layer_and_pairs()
    {
        var o = CcsOptions.Farquhar;
        var reviews = Datasets.MovieReviews;
        var pairs = ContrastPairs.ForDataset(reviews, [reviews.Templates[0]], 20, seed: 0);
        ResultKey K(
            string kind = "k",
            string m = "m",
            TokenPosition t = TokenPosition.Last,
            int split = 0,
            CcsOptions? c = null,
            int? layer = 3,
            IReadOnlyList<ContrastPair>? p = null
        ) => DistractorExperiment.SweepKey(kind, m, t, split, c ?? o, layer, p ?? pairs);
        Assert.Equal(K(), K(p: ContrastPairs.ForDataset(reviews, [reviews.Templates[0]], 20, seed: 0)));
        AllDiffer(
            K(),
            [
                K(kind: "k2"),
                K(m: "m2"),
                K(t: TokenPosition.First),
                K(split: 1),
                K(layer: 4),
                K(layer: null),
                K(p: ContrastPairs.ForDataset(reviews, [reviews.Templates[0]], 20, seed: 1)),
                K(p: ContrastPairs.ForDataset(reviews, [reviews.Templates[1]], 20, seed: 0)),
                K(p: ContrastPairs.ForDataset(reviews, [reviews.Templates[0]], 22, seed: 0)),
                K(p: ContrastPairs.ForDataset(reviews, [reviews.Templates[0]], 20, seed: 0, Distractors.RandomWords())),
                .. EachCcsOptionChanged(o).Select(c => K(c: c)),
            ]
        );
    }

    [Fact]
    public void Grokking_sweeps_and_traces_are_keyed_by_every_training_setting_and_the_exact_starting_network()
    {
        var store = new ResultsStore(Folder);
        var config = new TrainConfig(Steps: 4, LearningRate: 1e-2, EvalEvery: 2);
        string Grok(int seed)
        {
            using var s = TrainingState.Create(Tiny, seed);
            Trainer.Train(s, Data, config, store);
            return s.Checkpoint!;
        }
        var (a, b) = (Grok(0), Grok(1));
        var changed = new[]
        {
            config with
            {
                Steps = 5,
            },
            config with
            {
                LearningRate = 2e-2,
            },
            config with
            {
                WeightDecay = 0.5,
            },
            config with
            {
                Beta1 = 0.8,
            },
            config with
            {
                Beta2 = 0.9,
            },
            config with
            {
                Eps = 1e-7,
            },
            config with
            {
                WarmupSteps = 3,
            },
            config with
            {
                EvalEvery = 1,
            },
            config with
            {
                LossPrecision = TorchSharp.torch.ScalarType.Float32,
            },
        };
        // What a study sets per run itself (length, weight decay, cadences) does not key it; the rest of the
        // optimiser does.
        var perRun = new[]
        {
            config with
            {
                Steps = 5,
            },
            config with
            {
                WeightDecay = 0.5,
            },
            config with
            {
                EvalEvery = 1,
            },
        };

        var rule = new Settling();
        ResultKey E(
            string[]? nets = null,
            OperationTable? table = null,
            int[]? mem = null,
            int[]? gen = null,
            Settling? settling = null,
            TrainConfig? c = null,
            TransformerConfig? model = null
        ) =>
            EfficiencyStudy.Key(
                table ?? Table,
                nets ?? [a],
                mem ?? [20, 40],
                gen ?? [300],
                settling ?? rule,
                c ?? config,
                model ?? Tiny
            );
        Assert.All(perRun.Append(config with { CheckpointEvery = 7 }), c => Assert.Equal(E(), E(c: c)));
        AllDiffer(
            E(),
            [
                E(nets: [b]),
                E(nets: [a, b]),
                E(table: OperationTable.Create(31)),
                E(mem: [20, 41]),
                E(gen: [301]),
                E(settling: rule with { MaxTimeScales = 41 }),
                E(settling: rule with { MaxSwing = 0.01 }),
                E(model: Tiny with { DMlp = 64 }),
                .. changed.Except(perRun).Select(c => E(c: c)),
            ]
        );

        ResultKey U(
            string[]? nets = null,
            Split? on = null,
            int[]? seeds = null,
            Settling? settling = null,
            TrainConfig? c = null
        ) => Ungrokking.Key(nets ?? [a], on ?? Data, seeds ?? [0], settling ?? rule, c ?? config);
        Assert.All(perRun, c => Assert.Equal(U(), U(c: c)));
        AllDiffer(
            U(),
            [
                U(nets: [b]),
                U(on: Split.ByFraction(Table, 0.7, seed: 1)),
                U(seeds: [0, 1]),
                U(settling: rule with { MinTimeScales = 11 }),
                .. changed.Except(perRun).Select(c => U(c: c)),
            ]
        );

        using var start = TrainingState.Create(Tiny, 0);
        using var other = TrainingState.Create(Tiny, 1);
        var t = CircuitTrace.Key("trace", start, Data, config, 2, [3, 5]);
        AllDiffer(
            t,
            [
                CircuitTrace.Key("trace", other, Data, config, 2, [3, 5]),
                CircuitTrace.Key("trace", start, Data, config, 1, [3, 5]),
                CircuitTrace.Key("trace", start, Data, config, 2, [3]),
                CircuitTrace.Key("trace", start, Data.Nested(100), config, 2, [3, 5]),
                .. changed.Select(c => CircuitTrace.Key("trace", start, Data, c, 2, [3, 5])),
            ]
        );
    }

    [Fact]
    public void Saved_grokking_sweeps_and_traces_are_reused_for_identical_settings()
    {
        var store = new ResultsStore(Folder);
        var config = new TrainConfig(Steps: 3, LearningRate: 1e-2, EvalEvery: 3);
        using var grokked = TrainingState.Create(Tiny, 0);
        var trace = CircuitTrace.Saved(store, "trace", grokked, Data, config, every: 1);
        Assert.Equal(3, grokked.Step);
        using var again = TrainingState.Create(Tiny, 0);
        Assert.Equal(trace, CircuitTrace.Saved(store, "trace", again, Data, config, every: 1)); // read, not retrained
        Assert.Equal(3, again.Step); // and left at the end
        foreach (var ((_, x), (_, y)) in grokked.Model.Parameters.Zip(again.Model.Parameters))
            Assert.True(x.eq(y).all().item<bool>());
        var rule = new Settling(MinTimeScales: 0.03, MaxTimeScales: 0.03, WindowTimeScales: 0.02);
        var study = EfficiencyStudy.Run(
            Table,
            [grokked.Checkpoint!],
            [40],
            [100],
            [1.0, 2.0],
            rule,
            config,
            store,
            Tiny
        );
        Assert.Equal(
            study,
            EfficiencyStudy.Run(
                Table,
                [grokked.Checkpoint!],
                [40],
                [100],
                [1.0, 2.0],
                rule,
                config with
                {
                    Steps = 1,
                },
                store,
                Tiny
            )
        );
        Assert.Single(Directory.GetFiles(Folder, "efficiency-*.csv"));
    }
}
