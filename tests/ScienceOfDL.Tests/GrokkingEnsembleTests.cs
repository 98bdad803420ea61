using ScienceOfDL.Grokking;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests;

public class GrokkingEnsembleTests : TinyGrokking // Table, Data, Tiny, Folder
{
    // Runs that differ in everything a run can differ in: seed, training-set size, learning rate, weight decay,
    // warm-up, length and logging interval. Learning rates are moderate and runs short because training is chaotic:
    // at lr 1e-2 on this table, scaling W_in by 1 + 1e-7 moves the weights by 0.16 within 60 steps, so no float
    // computation could follow a trajectory further. Here such a perturbation moves no weight by more than 2e-5 (run 2,
    // ten steps longer, reaches 3e-3: its trajectory is then chaotic and the ensemble's rounding differs by as much).
    // No run starts at full learning rate: Adam's first update is lr·g/(|g| + eps), so a gradient entry near
    // eps = 1e-8 turns the batched product's other summation order (2.6e-9 absolute on gradients of 1e-2, see the
    // gradient test below) into a different step: with run 2 at warm-up 1, one W_out entry got g = -1.540e-8 one way
    // and -1.560e-8 the other, its first step differed by 3e-3·lr, and the test loss at step 10 by 2e-5 relative.
    // That is Adam amplifying rounding, not a batching error, so run 2 warms up over 5 steps (the others: 10 or 30).
    static readonly (int Seed, int Size, TrainConfig Config)[] Runs =
    [
        (0, 589, new TrainConfig(Steps: 80, LearningRate: 3e-3, WeightDecay: 1.0, EvalEvery: 20)),
        (1, 150, new TrainConfig(Steps: 80, LearningRate: 2e-3, WeightDecay: 0.3, WarmupSteps: 30, EvalEvery: 40)),
        (2, 400, new TrainConfig(Steps: 30, LearningRate: 5e-3, WeightDecay: 3.0, WarmupSteps: 5, EvalEvery: 10)),
        (3, 60, new TrainConfig(Steps: 60, LearningRate: 4e-3, WeightDecay: 0.0, EvalEvery: 30)),
    ];

    static Split DataOf(int seed, int size) => Split.BySize(Table, size, seed);

    [Theory]
    [InlineData(1)]
    [InlineData(3)] // three batched groups side by side: the runs of sizes 60 and 150 | 400 | 589
    public void Each_run_of_an_ensemble_follows_its_sequential_trajectory(int groups)
    {
        var sequential = Runs.Select(run =>
            {
                using var state = TrainingState.Create(Tiny, run.Seed);
                var log = Trainer.Train(state, DataOf(run.Seed, run.Size), run.Config);
                return (Log: log, Weights: Flat(state.Model), state.Step, state.OptimizerStep);
            })
            .ToList();

        var states = Runs.Select(run => TrainingState.Create(Tiny, run.Seed)).ToList();
        var reported = new List<(int Run, StepMetrics Metrics)>();
        var threads = get_num_threads();
        var logs = EnsembleTrainer.Train(
            states,
            Runs.Select(r => DataOf(r.Seed, r.Size)).ToList(),
            Runs.Select(r => r.Config).ToList(),
            new Progress(reported.Add),
            groups: groups
        );

        for (var r = 0; r < Runs.Length; r++)
        {
            var (expected, actual) = (sequential[r].Log, logs[r]);
            Assert.Equal(expected.Select(m => m.Step), actual.Select(m => m.Step));
            foreach (var (e, a) in expected.Zip(actual))
            {
                Assert.Equal(e.TrainLoss, a.TrainLoss, 1e-5 * Math.Max(1, e.TrainLoss));
                Assert.Equal(e.TestLoss, a.TestLoss, 1e-5 * Math.Max(1, e.TestLoss));
                Assert.Equal(e.ParameterNorm, a.ParameterNorm, 1e-5 * e.ParameterNorm);
                // Accuracies may differ only where an example sits on a decision boundary: at most one example.
                Assert.Equal(e.TrainAccuracy, a.TrainAccuracy, 1.01 / Runs[r].Size);
                Assert.Equal(e.TestAccuracy, a.TestAccuracy, 1.01 / (Table.Count - Runs[r].Size));
            }
            Assert.Equal(sequential[r].Step, states[r].Step);
            Assert.Equal(sequential[r].OptimizerStep, states[r].OptimizerStep);
            var diff = sequential[r].Weights.Zip(Flat(states[r].Model), (x, y) => Math.Abs(x - y)).Max();
            Assert.True(diff < 5e-5, $"run {r}: largest weight difference {diff}");
        }
        Assert.Equal(threads, get_num_threads()); // groups train single-threaded and restore the count
        // The runs really differ (so agreement is not trivial), and progress reported every logged row.
        Assert.True(
            logs[3][^1].TrainLoss < 0.1 * logs[0][^1].TrainLoss,
            $"{logs[3][^1].TrainLoss} vs {logs[0][^1].TrainLoss}"
        );
        Assert.Equal(logs.Sum(l => l.Count), reported.Count);
        Assert.Equal(logs[2], reported.Where(x => x.Run == 2).Select(x => x.Metrics));
        foreach (var s in states)
            s.Dispose();
    }

    [Fact]
    public void Each_run_of_a_batch_gets_its_own_models_gradient()
    {
        // The step-0 gradient of every run, padded batch and all, against the plain model's on its own training set:
        // equal up to summation order (float32 rounding, ~1e-7 of the largest entry; a batching error is of order 1).
        var states = Runs.Select(run => TrainingState.Create(Tiny, run.Seed)).ToList();
        var data = Runs.Select(r => DataOf(r.Seed, r.Size)).ToList();
        using var ensemble = new EnsembleState(states);
        using var batch = new EnsembleBatch(data);
        using var scope = NewDisposeScope();
        var batched = autograd.grad(
            [batch.Loss(ensemble.Model.Forward(batch.Operands))],
            ensemble.Model.Parameters.Select(p => p.Value).ToArray()
        );
        for (var r = 0; r < Runs.Length; r++)
        {
            var loss = nn.functional.cross_entropy(
                states[r].Model.Forward(Table.Tokens(data[r].Train)),
                Table.Labels(data[r].Train)
            );
            var own = autograd.grad([loss], states[r].Model.Parameters.Select(p => p.Value).ToArray());
            for (var i = 0; i < own.Count; i++)
            {
                var scale = own[i].abs().max().item<float>();
                var diff = (own[i] - batched[i][r]).abs().max().item<float>();
                Assert.True(diff <= 1e-5 * scale, $"run {r}, {states[r].Model.Parameters[i].Name}: {diff} of {scale}");
            }
        }
        foreach (var s in states)
            s.Dispose();
    }

    [Fact]
    public void An_ensemble_continues_loaded_states_with_their_moments_and_counters()
    {
        // Half of one run sequentially, saved; the second half as one run of an ensemble: the result must match the
        // whole run done sequentially (so the moments, step counters and warm-up position travel into the ensemble).
        var config = new TrainConfig(Steps: 40, LearningRate: 5e-3, WarmupSteps: 30, EvalEvery: 10);
        var data = DataOf(5, 300);
        using var whole = TrainingState.Create(Tiny, seed: 5);
        var wholeLog = Trainer.Train(whole, data, config);
        var path = Path.Combine(Folder, "half.checkpoint");
        Directory.CreateDirectory(Folder);
        using (var half = TrainingState.Create(Tiny, seed: 5))
        {
            Trainer.Train(half, data, config with { Steps = 20 });
            half.Save(path, "half", 0);
        }
        using var loaded = TrainingState.Load(path);
        using var other = TrainingState.Create(Tiny, seed: 6);
        var logs = EnsembleTrainer.Train([loaded, other], [data, DataOf(6, 500)], [config with { Steps = 20 }, config]);
        Assert.Equal(new[] { 20, 30, 40 }, logs[0].Select(m => m.Step));
        foreach (var (e, a) in wholeLog.Where(m => m.Step >= 20).Zip(logs[0]))
            Assert.Equal(e.TrainLoss, a.TrainLoss, 1e-5);
        Assert.Equal(40, loaded.Step);
        Assert.Equal(40, loaded.OptimizerStep);
        Assert.True(Flat(whole.Model).Zip(Flat(loaded.Model), (x, y) => Math.Abs(x - y)).Max() < 1e-4);
    }

    [Fact]
    public void Saved_ensemble_runs_are_the_runs_the_trainer_saves_and_resume()
    {
        var store = new ScienceOfDL.Results.ResultsStore(Folder);
        var config = new TrainConfig(Steps: 40, LearningRate: 3e-3, EvalEvery: 10, CheckpointEvery: 20);
        var data = new[] { DataOf(0, 300), DataOf(1, 200) };
        TrainingState[] Fresh() => [TrainingState.Create(Tiny, 0), TrainingState.Create(Tiny, 1)];
        // A shorter ensemble first: the longer one continues it (as Trainer.Train continues a shorter run).
        var first = Fresh();
        EnsembleRuns.Train(first, data, [config with { Steps = 20 }, config with { Steps = 20 }], store, ["a", "b"]);
        var states = Fresh();
        var logs = EnsembleRuns.Train(states, data, [config, config], store, ["a", "b"]);
        Assert.All(states, s => Assert.Equal(40, s.Step));
        Assert.Equal(new[] { 0, 10, 20, 30, 40 }, logs[1].Select(m => m.Step));
        // Trainer.Train asked for the same run finds it finished and returns the same log and weights.
        using var alone = TrainingState.Create(Tiny, 1);
        var log = Trainer.Train(alone, data[1], config, store, "b");
        Assert.Equal(logs[1], log);
        Assert.Equal(Flat(states[1].Model), Flat(alone.Model));
        // And the sequential run from scratch follows the same trajectory.
        using var sequential = TrainingState.Create(Tiny, 1);
        var expected = Trainer.Train(sequential, data[1], config);
        foreach (var (e, a) in expected.Zip(log))
            Assert.Equal(e.TrainLoss, a.TrainLoss, 1e-5 * Math.Max(1, e.TrainLoss));
        // Without its checkpoint a finished run is read back from its log when the caller needs only logs.
        File.Delete(alone.Checkpoint!);
        using var fresh = TrainingState.Create(Tiny, 1);
        Assert.Equal(logs[1], EnsembleRuns.Train([fresh], [data[1]], [config], store, ["b"], logsSuffice: true)[0]);
        Assert.Equal(0, fresh.Step);
        foreach (var s in first.Concat(states))
            s.Dispose();
    }

    [Fact]
    public void Saved_ensemble_runs_measure_on_their_grid_when_the_checkpoint_cadence_is_not_a_multiple_of_it()
    {
        var store = new ScienceOfDL.Results.ResultsStore(Folder);
        // Measured every 15 steps, checkpoints asked every 20: a chunk from step 20 would measure at 35, not 30.
        var config = new TrainConfig(Steps: 60, LearningRate: 3e-3, EvalEvery: 15, CheckpointEvery: 20);
        using var state = TrainingState.Create(Tiny, 0);
        var log = EnsembleRuns.Train([state], [DataOf(0, 300)], [config], store, ["grid"])[0];
        Assert.Equal(new[] { 0, 15, 30, 45, 60 }, log.Select(m => m.Step));
    }

    [Fact]
    public void A_cancelled_ensemble_leaves_each_state_at_the_step_it_reached()
    {
        using var cancel = new CancellationTokenSource();
        var states = new[] { TrainingState.Create(Tiny, 0), TrainingState.Create(Tiny, 1) };
        var config = new TrainConfig(Steps: 50, LearningRate: 3e-3, EvalEvery: 10);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            EnsembleTrainer.Train(
                states,
                [Data, DataOf(1, 200)],
                [config, config],
                new Progress(x =>
                {
                    if (x.Metrics.Step == 20)
                        cancel.Cancel();
                }),
                cancel.Token
            )
        );
        Assert.All(states, s => Assert.Equal(20, s.Step));
        // The saved state continues as if never stopped.
        using var reference = TrainingState.Create(Tiny, 1);
        Trainer.Train(reference, DataOf(1, 200), config);
        Trainer.Train(states[1], DataOf(1, 200), config with { Steps = 30 });
        Assert.True(Flat(reference.Model).Zip(Flat(states[1].Model), (x, y) => Math.Abs(x - y)).Max() < 1e-4);
        foreach (var s in states)
            s.Dispose();
    }

    [Fact]
    public void An_ensemble_run_leaves_no_tensor_behind()
    {
        // Sweeps train ensembles again and again; every tensor one creates must be freed when it ends (each holds
        // native memory the garbage collector cannot see).
        var config = new TrainConfig(Steps: 6, LearningRate: 1e-2, EvalEvery: 2);
        void OneEnsemble()
        {
            var states = new[]
            {
                TrainingState.Create(Tiny, 0),
                TrainingState.Create(Tiny, 1),
                TrainingState.Create(Tiny, 2),
            };
            EnsembleTrainer.Train(
                states,
                [DataOf(0, 100), DataOf(1, 200), DataOf(2, 300)],
                [config, config with { Steps = 3 }, config],
                groups: 1
            );
            foreach (var s in states)
                s.Dispose();
        }
        // One group, so that everything happens on this thread, where the counter counts (groups on other threads run
        // the same code).
        OneEnsemble();
        var live = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 3; i++)
            OneEnsemble();
        Assert.Equal(live, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Ensemble_members_are_views_that_analysis_code_can_read()
    {
        using var a = new Transformer(Tiny, seed: 1);
        using var b = new Transformer(Tiny, seed: 2);
        using var ensemble = new EnsembleTransformer([a, b]);
        using var member = ensemble.Member(1);
        using var tokens = Table.Tokens(Data.Train[..50]);
        using (no_grad())
        {
            Assert.True(member.Forward(tokens).allclose(b.Forward(tokens), rtol: 1e-5, atol: 1e-6));
            // The batched forward pass gives each run its own logits.
            using var operands = tokens[.., ..2];
            using var both = ensemble.Forward(stack([operands, operands]));
            Assert.True(both[0].allclose(a.Forward(tokens), rtol: 1e-4, atol: 1e-5));
            Assert.True(both[1].allclose(b.Forward(tokens), rtol: 1e-4, atol: 1e-5));
            ensemble.Weights.mul_(2); // a view follows the ensemble's weights
            Assert.True(member.W_U.allclose(b.W_U * 2));
        }
        // A copy of the run into a plain model analyses the same as the view.
        using var copy = new Transformer(Tiny, seed: 9);
        ensemble.CopyTo(1, copy);
        Assert.Equal(Fourier.Analyse(copy, Data).TrigShare, Fourier.Analyse(member, Data).TrigShare, 6);
        Assert.NotEqual(Fourier.Analyse(a, Data).TrigShare, Fourier.Analyse(member, Data).TrigShare);
    }

    static float[] Flat(Transformer model) =>
        model.Parameters.SelectMany(p => p.Value.detach().cpu().data<float>().ToArray()).ToArray();

    sealed class Progress(Action<(int Run, StepMetrics Metrics)> report) : IProgress<(int Run, StepMetrics Metrics)>
    {
        public void Report((int Run, StepMetrics Metrics) value) => report(value);
    }
}
