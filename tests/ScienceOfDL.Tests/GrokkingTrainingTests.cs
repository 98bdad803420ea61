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
        var store = new ResultsStore(Folder);
        var config = new TrainConfig(Steps: 60, LearningRate: 1e-2, EvalEvery: 10, CheckpointEvery: 20);
        using var whole = TrainingState.Create(Tiny, seed: 3);
        var uninterrupted = Trainer.Train(whole, Data, config, "whole", store);

        // Cancel a second run at step 30 (it checkpoints as it stops), then resume it in a fresh state.
        using var cancel = new CancellationTokenSource();
        using (var first = TrainingState.Create(Tiny, seed: 3))
            Assert.Throws<OperationCanceledException>(() => Trainer.Train(first, Data, config, "interrupted", store,
                new Progress(m => { if (m.Step == 30) cancel.Cancel(); }), cancel.Token));
        Assert.Equal(30, store.ReadCsv<StepMetrics>("interrupted.metrics.csv")[^1].Step);

        using var resumed = TrainingState.Create(Tiny, seed: 99); // different init: everything must come from the checkpoint
        var log = Trainer.Train(resumed, Data, config, "interrupted", store);
        Assert.Equal(uninterrupted, log);
        Assert.Equal(uninterrupted, store.ReadCsv<StepMetrics>("interrupted.metrics.csv"));
        foreach (var ((_, x), (_, y)) in whole.Model.Parameters.Zip(resumed.Model.Parameters)) Assert.True(x.eq(y).all().item<bool>());

        // A crash (no chance to save) at step 50: the log runs ahead of the last checkpoint (40) and is cut back on resume.
        using (var crashing = TrainingState.Create(Tiny, seed: 3))
            Assert.Throws<InvalidOperationException>(() => Trainer.Train(crashing, Data, config, "crashed", store,
                new Progress(m => { if (m.Step == 50) throw new InvalidOperationException("simulated crash"); })));
        Assert.Equal(50, store.ReadCsv<StepMetrics>("crashed.metrics.csv")[^1].Step);
        using (var again = TrainingState.Create(Tiny, seed: 0))
            Assert.Equal(uninterrupted, Trainer.Train(again, Data, config, "crashed", store));

        // A finished run is read back, not retrained; another run's checkpoint is refused.
        Assert.Equal(uninterrupted, Trainer.Train(TrainingState.Create(Tiny, seed: 0), Data, config, "interrupted", store));
        Assert.Throws<InvalidDataException>(() => Trainer.Train(TrainingState.Create(Tiny, seed: 0), Data,
            config with { WeightDecay = 0.5 }, "interrupted", store));
        // A file that is not a checkpoint is refused by name, both when loading and when restoring into a state.
        File.WriteAllText(store.PathOf("not.checkpoint"), "hello");
        Assert.Contains("not a grokking checkpoint", Assert.Throws<InvalidDataException>(() => TrainingState.Load(store.PathOf("not.checkpoint"))).Message);
        using (var state = TrainingState.Create(Tiny, seed: 0))
            Assert.Contains("not a grokking checkpoint", Assert.Throws<InvalidDataException>(() => state.Restore(store.PathOf("not.checkpoint"), out _, out _)).Message);
    }

    [Fact]
    public void Training_continues_from_a_checkpoint_on_a_nested_subset_with_its_own_weight_decay()
    {
        var store = new ResultsStore(Folder);
        using (var state = TrainingState.Create(Tiny, seed: 1))
            Trainer.Train(state, Data, new TrainConfig(Steps: 20, LearningRate: 1e-2), "base", store);
        using var carried = TrainingState.Load(store.PathOf("base.checkpoint"));
        Assert.Equal(20, carried.Step);
        var log = Trainer.Train(carried, Data.Nested(100), new TrainConfig(Steps: 10, WeightDecay: 0.3, EvalEvery: 5), "shrunk", store);
        Assert.Equal(new[] { 20, 25, 30 }, log.Select(m => m.Step));
    }

    [Fact]
    public void Loading_training_and_disposing_a_state_leaves_no_tensor_behind()
    {
        // Sweeps load a checkpoint hundreds of times; every tensor a run creates must be freed when it is disposed, not
        // left for the garbage collector (each one holds native memory the collector cannot see).
        var store = new ResultsStore(Folder);
        using (var state = TrainingState.Create(Tiny, seed: 1))
            Trainer.Train(state, Data, new TrainConfig(Steps: 5), "leak", store);
        void OneRun()
        {
            using var state = TrainingState.Load(store.PathOf("leak.checkpoint"));
            state.ResetOptimizer();
            Trainer.Train(state, Data.Nested(100), new TrainConfig(Steps: 5, EvalEvery: 5));
            state.Save(store.PathOf("leak-copy.checkpoint"), "copy", 0);
        }
        OneRun();
        var live = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 3; i++) OneRun();
        Assert.Equal(live, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Memorising_networks_need_more_norm_for_more_points_and_crossings_are_interpolated()
    {
        // Fewer random labels are fitted with a smaller norm by otherwise identical networks.
        var config = new TrainConfig(Steps: 150, LearningRate: 1e-2);
        var small = Efficiency.Memorise(Table, 40, 1.0, config, seed: 2, Tiny);
        var large = Efficiency.Memorise(Table, 400, 1.0, config, seed: 2, Tiny);
        Assert.Equal(Efficiency.Memorising, small.Kind);
        Assert.True(small.ParameterNorm < large.ParameterNorm, $"{small.ParameterNorm} vs {large.ParameterNorm}");

        Assert.Equal(200, Efficiency.CrossingSize([(100, 1.0), (400, 3.0)], 2.0)!.Value, 6);
        Assert.Null(Efficiency.CrossingSize([(100, 1.0), (400, 3.0)], 5.0));
        Assert.Equal(800, Efficiency.CrossingSize([(100, 3.0), (200, 1.0), (400, 1.0), (1600, 3.0)], 2.0)!.Value, 6); // the last crossing counts
        // norm = 10·logit^0.5 through three points is recovered, also beyond them.
        var pts = new[] { 1.0, 4.0, 9.0 }.Select(l => new EfficiencyPoint("m", 10, 1, 0, 1, ParameterNorm: 10 * Math.Sqrt(l), CorrectLogit: l, 0, 1, 0)).ToList();
        Assert.Equal(20, Efficiency.NormForLogit(pts, 4.0)!.Value, 6);
        Assert.Equal(40, Efficiency.NormForLogit(pts, 16.0)!.Value, 6);
        Assert.Null(Efficiency.NormForLogit(pts.Take(1), 4.0));
        Assert.Equal(5.5, Efficiency.CommonLogit(pts.Concat(pts.Select(p => p with { TrainSize = 20, CorrectLogit = p.CorrectLogit + 1 })))!.Value, 6);
    }

    sealed class Progress(Action<StepMetrics> report) : IProgress<StepMetrics> { public void Report(StepMetrics value) => report(value); }
}
