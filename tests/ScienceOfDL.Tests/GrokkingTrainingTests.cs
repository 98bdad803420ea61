using ScienceOfDL.Grokking;
using ScienceOfDL.Results;

namespace ScienceOfDL.Tests;

public class GrokkingTrainingTests : TinyGrokking // Table, Data, Tiny, Folder
{
    [Fact]
    public void A_tiny_model_memorises_first_and_generalises_later()
    {
        using var state = TrainingState.Create(Tiny, seed: 0);
        var log = Trainer.Train(state, Data, new TrainConfig(Steps: 1200, LearningRate: 1e-2, EvalEvery: 25));
        var memorised = Trainer.FirstStep(log, m => m.TrainAccuracy, 0.99);
        var generalised = Trainer.FirstStep(log, m => m.TestAccuracy, 0.9);
        Assert.NotNull(memorised);
        Assert.NotNull(generalised);
        Assert.True(generalised >= 3 * memorised, $"train ≥ 0.99 at step {memorised}, test ≥ 0.9 at {generalised}");
        Assert.True(memorised <= 300, $"memorisation should be fast; train ≥ 0.99 only at step {memorised}");
        Assert.True(log[^1].TestAccuracy > 0.95);
        Assert.Equal(1200, state.Step);
    }

    [Fact]
    public void Milestones_are_the_first_logged_steps_past_each_threshold_and_spikes_after_grokking_are_counted()
    {
        // Memorises at 100, test accuracy 0.5 at 300, 0.9 at 400, 0.99 at 500; a loss spike at 700; norm peaks at 100.
        static StepMetrics M(int step, double train, double test, double loss, double norm) =>
            new(step, loss, train, 0, test, norm, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        var log = new List<StepMetrics>
        {
            M(0, 0.1, 0.01, 4, 40),
            M(100, 1, 0.05, 1e-4, 60),
            M(200, 1, 0.2, 1e-5, 55),
            M(300, 1, 0.5, 1e-6, 50),
            M(400, 1, 0.95, 1e-7, 45),
            M(500, 1, 0.995, 1e-7, 40),
            M(600, 1, 1, 1e-7, 39),
            M(700, 0.99, 0.98, 2e-3, 39),
            M(800, 1, 1, 1e-7, 38),
        };
        var milestones = GrokkingMilestones.Of(log);
        Assert.Equal(new GrokkingMilestones(100, 300, 400, 500, 100), milestones);
        Assert.Equal(4, milestones.Delay);
        Assert.Equal([100, 300, 400, 500, 100], milestones.Table().Select(r => r.OurStep));
        Assert.Equal(new AfterGrokking(3, 1, 2e-3, 0.99, 0.98, 1), milestones.After(log));
        Assert.Null(GrokkingMilestones.Of(log.Take(2).ToList()).Delay); // never generalised
        Assert.Equal(0, GrokkingMilestones.Of(log.Take(4).ToList()).After(log).Rows); // never grokked
    }

    [Fact]
    public void Same_seed_gives_the_same_numbers()
    {
        var config = new TrainConfig(Steps: 30, LearningRate: 1e-2, EvalEvery: 10);
        using var a = TrainingState.Create(Tiny, seed: 7);
        using var b = TrainingState.Create(Tiny, seed: 7);
        Assert.Equal(Trainer.Train(a, Data, config), Trainer.Train(b, Data, config));
    }

    [Fact]
    public void A_resumed_run_reproduces_the_uninterrupted_run_exactly()
    {
        var config = new TrainConfig(Steps: 60, LearningRate: 1e-2, EvalEvery: 10, CheckpointEvery: 20);
        using var whole = TrainingState.Create(Tiny, seed: 3);
        var uninterrupted = Trainer.Train(whole, Data, config, new ResultsStore(Path.Combine(Folder, "whole")));

        // Cancel a second run at step 30 (it checkpoints as it stops), then resume it in a fresh state.
        var store = new ResultsStore(Path.Combine(Folder, "interrupted"));
        var key = Key(3, config);
        using var cancel = new CancellationTokenSource();
        using (var first = TrainingState.Create(Tiny, seed: 3))
            Assert.Throws<OperationCanceledException>(() =>
                Trainer.Train(
                    first,
                    Data,
                    config,
                    store,
                    progress: new Progress(m =>
                    {
                        if (m.Step == 30)
                            cancel.Cancel();
                    }),
                    cancel: cancel.Token
                )
            );
        Assert.Equal(30, Log(store, key)[^1].Step);
        using var resumed = TrainingState.Create(Tiny, seed: 3);
        Assert.Equal(uninterrupted, Trainer.Train(resumed, Data, config, store));
        Assert.Equal(uninterrupted, Log(store, key));
        foreach (var ((_, x), (_, y)) in whole.Model.Parameters.Zip(resumed.Model.Parameters))
            Assert.True(x.eq(y).all().item<bool>());

        // A finished run is read back with its final state, not retrained.
        using (var again = TrainingState.Create(Tiny, seed: 3))
        {
            Assert.Equal(
                uninterrupted,
                Trainer.Train(again, Data, config, store, progress: new Progress(_ => Assert.Fail("retrained")))
            );
            Assert.Equal(60, again.Step);
        }
    }

    [Fact]
    public void A_crash_leaves_a_log_ahead_of_the_checkpoint_and_a_torn_line_which_resuming_cuts_back()
    {
        var config = new TrainConfig(Steps: 60, LearningRate: 1e-2, EvalEvery: 10, CheckpointEvery: 20);
        using var whole = TrainingState.Create(Tiny, seed: 3);
        var uninterrupted = Trainer.Train(whole, Data, config);
        var store = new ResultsStore(Folder);
        using (var crashing = TrainingState.Create(Tiny, seed: 3))
            Assert.Throws<InvalidOperationException>(() =>
                Trainer.Train(
                    crashing,
                    Data,
                    config,
                    store,
                    progress: new Progress(m =>
                    {
                        if (m.Step == 50)
                            throw new InvalidOperationException("simulated crash");
                    })
                )
            );
        var metrics = store.PathOf(Key(3, config), ".metrics.csv");
        File.AppendAllText(metrics, "60,0.01,1,0."); // and a line half-written when the power went
        using var again = TrainingState.Create(Tiny, seed: 3);
        Assert.Equal(uninterrupted, Trainer.Train(again, Data, config, store)); // resumed from the checkpoint at 40
    }

    [Fact]
    public void Every_setting_of_a_run_is_part_of_its_key()
    {
        var config = new TrainConfig(Steps: 10, LearningRate: 1e-2);
        var key = Key(0, config);
        Assert.Equal(key, Key(0, config with { CheckpointEvery = 3 })); // how often it saves changes no number
        foreach (
            var other in new[]
            {
                Key(1, config),
                Key(0, config with { Steps = 11 }),
                Key(0, config with { LearningRate = 2e-2 }),
                Key(0, config with { WeightDecay = 0.5 }),
                Key(0, config with { Beta2 = 0.99 }),
                Key(0, config with { Eps = 1e-9 }),
                Key(0, config with { WarmupSteps = 0 }),
                Key(0, config with { EvalEvery = 5 }),
                Key(0, config, Data.Nested(100)),
                Key(0, config, Split.ByFraction(Table, 0.7, seed: 1)),
                Key(0, config, model: Tiny with { DMlp = 64 }),
                Key(0, config, kind: "other"),
            }
        )
            Assert.NotEqual(key.Stem, other.Stem);

        // Same settings reuse; another init seed or fewer steps than saved do not return the saved run.
        var store = new ResultsStore(Folder);
        using (var a = TrainingState.Create(Tiny, seed: 0))
            Trainer.Train(a, Data, config with { Steps = 20 }, store);
        using var seed1 = TrainingState.Create(Tiny, seed: 1);
        using var fresh1 = TrainingState.Create(Tiny, seed: 1);
        Assert.Equal(
            Trainer.Train(fresh1, Data, config with { Steps = 20 }),
            Trainer.Train(seed1, Data, config with { Steps = 20 }, store)
        );
        using var shorter = TrainingState.Create(Tiny, seed: 0);
        var log = Trainer.Train(shorter, Data, config with { Steps = 10, EvalEvery = 5 }, store);
        Assert.Equal(10, log[^1].Step);
        Assert.Equal(10, shorter.Step);
    }

    [Fact]
    public void A_longer_run_continues_the_longest_shorter_one()
    {
        var store = new ResultsStore(Folder);
        var config = new TrainConfig(Steps: 20, LearningRate: 1e-2, EvalEvery: 10);
        using (var a = TrainingState.Create(Tiny, seed: 4))
            Trainer.Train(a, Data, config, store);
        var steps = new List<int>();
        using var longer = TrainingState.Create(Tiny, seed: 4);
        var log = Trainer.Train(
            longer,
            Data,
            config with
            {
                Steps = 40,
            },
            store,
            progress: new Progress(m => steps.Add(m.Step))
        );
        Assert.Equal([30, 40], steps); // steps 0-20 came from the saved shorter run
        using var straight = TrainingState.Create(Tiny, seed: 4);
        Assert.Equal(Trainer.Train(straight, Data, config with { Steps = 40 }), log);
    }

    [Fact]
    public void A_damaged_checkpoint_is_refused_with_its_path()
    {
        var store = new ResultsStore(Folder);
        var config = new TrainConfig(Steps: 5, LearningRate: 1e-2);
        using (var state = TrainingState.Create(Tiny, seed: 1))
            Trainer.Train(state, Data, config, store);
        var path = store.PathOf(Key(1, config), ".checkpoint");
        var bytes = File.ReadAllBytes(path);
        var flipped = (byte[])bytes.Clone();
        flipped[bytes.Length / 2] ^= 0x40; // one weight's bit flipped on disk
        File.WriteAllBytes(path, flipped);
        var e = Assert.Throws<InvalidDataException>(() => TrainingState.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("checksum", e.Message);
        using (var resume = TrainingState.Create(Tiny, seed: 1))
            Assert.Throws<InvalidDataException>(() => Trainer.Train(resume, Data, config, store));
        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]); // truncated
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => TrainingState.Load(path)).Message);
        File.WriteAllText(path, "hello"); // not a checkpoint at all
        Assert.Contains(
            "not a grokking checkpoint",
            Assert.Throws<InvalidDataException>(() => TrainingState.Load(path)).Message
        );
    }

    [Fact]
    public void Nonsense_settings_are_refused_before_training()
    {
        using var state = TrainingState.Create(Tiny, seed: 0);
        foreach (
            var bad in new[]
            {
                new TrainConfig(Steps: -1),
                new TrainConfig(10, LearningRate: double.NaN),
                new TrainConfig(10, LearningRate: 0),
                new TrainConfig(10, WeightDecay: -1),
                new TrainConfig(10, EvalEvery: 0),
                new TrainConfig(10, CheckpointEvery: 0),
                new TrainConfig(10, Beta1: 1),
                new TrainConfig(10, WarmupSteps: -2),
            }
        )
            Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Train(state, Data, bad));
        Assert.Equal(0, state.Step);
    }

    [Fact]
    public void Training_continues_from_a_checkpoint_on_a_nested_subset_with_its_own_weight_decay()
    {
        var store = new ResultsStore(Folder);
        var config = new TrainConfig(Steps: 20, LearningRate: 1e-2);
        using (var state = TrainingState.Create(Tiny, seed: 1))
            Trainer.Train(state, Data, config, store);
        using var carried = TrainingState.Load(store.PathOf(Key(1, config), ".checkpoint"));
        Assert.Equal(20, carried.Step);
        var log = Trainer.Train(
            carried,
            Data.Nested(100),
            new TrainConfig(Steps: 10, WeightDecay: 0.3, EvalEvery: 5),
            store
        );
        Assert.Equal(new[] { 20, 25, 30 }, log.Select(m => m.Step));
    }

    [Fact]
    public void Loading_training_and_disposing_a_state_leaves_no_tensor_behind()
    {
        // Sweeps load a checkpoint hundreds of times; every tensor a run creates must be freed when it is disposed, not
        // left for the garbage collector (each one holds native memory the collector cannot see).
        var store = new ResultsStore(Folder);
        var config = new TrainConfig(Steps: 5);
        using (var state = TrainingState.Create(Tiny, seed: 1))
            Trainer.Train(state, Data, config, store);
        var checkpoint = store.PathOf(Key(1, config), ".checkpoint");
        void OneRun()
        {
            using var state = TrainingState.Load(checkpoint);
            state.ResetOptimizer();
            Trainer.Train(state, Data.Nested(100), new TrainConfig(Steps: 5, EvalEvery: 5));
            state.Save(Path.Combine(Folder, "copy.checkpoint"), "copy", 0);
        }
        OneRun();
        var live = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 3; i++)
            OneRun();
        Assert.Equal(live, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    static ResultKey Key(
        int seed,
        TrainConfig config,
        Split? data = null,
        TransformerConfig? model = null,
        string kind = "training-run"
    )
    {
        using var state = TrainingState.Create(model ?? Tiny, seed);
        return Trainer.RunKey(kind, state, data ?? Data, config);
    }

    static List<StepMetrics> Log(ResultsStore store, ResultKey key) =>
        CsvFile.Read<StepMetrics>(store.PathOf(key, ".metrics.csv"));

    [Fact]
    public void Memorising_networks_need_more_norm_for_more_points_and_crossings_are_interpolated()
    {
        // Fewer random labels are fitted with a smaller norm by otherwise identical networks (same seed, same time).
        var store = new ResultsStore(Folder);
        using var grokked = TrainingState.Create(Tiny, 0);
        Trainer.Train(grokked, Data, new TrainConfig(Steps: 2, LearningRate: 1e-2), store, "grokked");
        var rule = new Settling(MinTimeScales: 1.5, MaxTimeScales: 1.5, WindowTimeScales: 1);
        var runs = EfficiencyStudy.Run(
            Table,
            [grokked.Checkpoint!],
            [40, 400],
            [500],
            [1.0],
            rule,
            new TrainConfig(Steps: 1, LearningRate: 1e-2),
            store,
            Tiny
        );
        var (small, large) = (
            runs.Single(r => r.Kind == CircuitKind.Memorising && r.TrainSize == 40),
            runs.Single(r => r.Kind == CircuitKind.Memorising && r.TrainSize == 400)
        );
        Assert.Equal(1.5, small.TimeScales, 1e-9);
        Assert.True(small.ParameterNorm < large.ParameterNorm, $"{small.ParameterNorm} vs {large.ParameterNorm}");

        Assert.Equal(200, EfficiencyCurves.CrossingSize([(100, 1.0), (400, 3.0)], 2.0)!.Value, 6);
        Assert.Null(EfficiencyCurves.CrossingSize([(100, 1.0), (400, 3.0)], 5.0));
        // the last crossing counts
        Assert.Equal(
            800,
            EfficiencyCurves.CrossingSize([(100, 3.0), (200, 1.0), (400, 1.0), (1600, 3.0)], 2.0)!.Value,
            6
        );
    }

    sealed class Progress(Action<StepMetrics> report) : IProgress<StepMetrics>
    {
        public void Report(StepMetrics value) => report(value);
    }
}
