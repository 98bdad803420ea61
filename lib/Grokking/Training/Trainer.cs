using ScienceOfDL.Results;
using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>
/// Full-batch AdamW training (every update sees the whole training set, as in the papers). With a results store, the
/// run is saved under the key of everything that produced it (<see cref="RunKey"/>: model sizes, where the weights came
/// from, the data and its split, every optimiser setting, the run length) as a <see cref="SavedRun"/>, so asking again
/// resumes it, or returns the finished log at once with the final state loaded.
/// </summary>
public static class Trainer
{
    public static List<StepMetrics> Train(
        TrainingState state,
        Split data,
        TrainConfig config,
        ResultsStore? store = null,
        string kind = "training-run",
        IProgress<StepMetrics>? progress = null,
        CancellationToken cancel = default
    )
    {
        config.Validate();
        var model = state.Model;
        var device = model.W_E.device;
        var key = RunKey(kind, state, data, config);
        var startStep = state.Step;
        var endStep = startStep + config.Steps;
        using var saved = store is null ? null : SavedRun.Open(store, key);
        var log = saved?.Resume(state, startStep, endStep) ?? [];

        using var trainX = data.Table.Tokens(data.Train, device);
        using var trainY = data.Table.Labels(data.Train, device);
        using var testX = data.Table.Tokens(data.Test, device);
        using var testY = data.Table.Labels(data.Test, device);

        void Record()
        {
            var m = Measure(model, state.Step, trainX, trainY, testX, testY);
            log.Add(m);
            saved?.Append(m);
            progress?.Report(m);
        }
        void Save() => saved?.Save(state, startStep);

        if (log.Count == 0 || log[^1].Step != state.Step)
            Record();
        while (state.Step < endStep)
        {
            if (cancel.IsCancellationRequested)
            {
                Save();
                cancel.ThrowIfCancellationRequested();
            }
            Step(state, trainX, trainY, config);
            var done = state.Step == endStep;
            if (done || (state.Step - startStep) % config.EvalEvery == 0)
                Record();
            if (done || (state.Step - startStep) % config.CheckpointEvery == 0)
                Save();
        }
        if (saved is not null && !File.Exists(saved.CheckpointPath))
            Save(); // a zero-step run still leaves its state
        state.Origin = store is null ? $"{state.Origin} + {config.Steps} unsaved steps" : $"run {key.Stem}";
        state.Checkpoint = saved?.CheckpointPath;
        return log;
    }

    /// <summary>The key a run is saved under: model sizes, the starting state's origin and step, the data (operation,
    /// p, labels, the split's rows by hash), every setting of <paramref name="config"/>; the length as the key's
    /// variant.</summary>
    public static ResultKey RunKey(string kind, TrainingState state, Split data, TrainConfig config) =>
        ResultKey.Of(
            kind,
            new RunSettings(
                state.Model.Config,
                state.Origin,
                state.Step,
                data.Describe(),
                config.Settings(),
                CodeVersion
            ),
            $"{config.Steps}steps"
        );

    /// <summary>What a run is keyed by (<see cref="RunKey"/>): a named record, so that renaming a variable cannot
    /// re-key saved runs (a test checks every committed key against it).</summary>
    public sealed record RunSettings(
        TransformerConfig Model,
        string Start,
        int StartStep,
        string Data,
        TrainSettings Train,
        int Code
    );

    /// <summary>Bumped when a change to the model or the update changes the numbers a run produces, so saved runs from
    /// before are recomputed instead of reused.</summary>
    public const int CodeVersion = 3; // 3: the loss in float64

    /// <summary>One full-batch AdamW update on (x, y).</summary>
    public static void Step(TrainingState state, Tensor x, Tensor y, TrainConfig config)
    {
        using var scope = NewDisposeScope();
        var loss = CrossEntropy.Mean(state.Model.Forward(x), y, config.LossPrecision);
        var grads = autograd.grad([loss], state.Model.Parameters.Select(p => p.Value).ToArray());
        state.AdamWStep(grads, config);
    }

    /// <summary>Loss (float64), accuracy, norms and correct-class logit of the model as it is now.</summary>
    public static StepMetrics Measure(
        Transformer model,
        int step,
        Tensor trainX,
        Tensor trainY,
        Tensor testX,
        Tensor testY
    )
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        (double loss, double acc, double logit) On(Tensor x, Tensor y)
        {
            if (x.shape[0] == 0)
                return (double.NaN, double.NaN, double.NaN);
            var logits = model.Forward(x).to(ScalarType.Float64);
            return (
                CrossEntropy.Mean(logits, y).item<double>(),
                logits.argmax(1).eq(y).to(ScalarType.Float64).mean().item<double>(),
                (logits.gather(1, y.unsqueeze(1)).squeeze(1) - logits.mean([1L])).mean().item<double>()
            );
        }
        var train = On(trainX, trainY);
        var test = On(testX, testY);
        var norms = model
            .Parameters.Select(p => Math.Sqrt(p.Value.to(ScalarType.Float64).square().sum().item<double>()))
            .ToArray();
        var total = Math.Sqrt(norms.Sum(n => n * n));
        return new StepMetrics(
            step,
            train.loss,
            train.acc,
            test.loss,
            test.acc,
            total,
            train.logit,
            norms[0],
            norms[1],
            norms[2],
            norms[3],
            norms[4],
            norms[5],
            norms[6],
            norms[7],
            norms[8],
            norms[9],
            norms[10]
        );
    }

    /// <summary>First logged step at which <paramref name="value"/> reaches <paramref name="threshold"/> (null if
    /// never).</summary>
    public static int? FirstStep(IEnumerable<StepMetrics> log, Func<StepMetrics, double> value, double threshold) =>
        log.FirstOrDefault(m => value(m) >= threshold)?.Step;
}
