using ScienceOfDL.Results;
using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>
/// Full-batch AdamW training (every update sees the whole training set, as in the papers). With a results store, the
/// run is saved under the key of everything that produced it (<see cref="RunKey"/>: model sizes, where the weights came
/// from, the data and its split, every optimiser setting, the run length): metrics are appended to
/// <c>STEM.metrics.csv</c> as they are measured and the state is checkpointed to <c>STEM.checkpoint</c>. Asking again
/// for the same run resumes exactly where the checkpoint left off (the log is cut back to it: the checkpoint is the
/// truth), or returns the finished log at once with the final state loaded. A run that differs only in length continues
/// the longest shorter one saved.
/// </summary>
public static class Trainer
{
    public static List<StepMetrics> Train(TrainingState state, Split data, TrainConfig config,
        ResultsStore? store = null,
        string kind = "training-run", IProgress<StepMetrics>? progress = null, CancellationToken cancel = default)
    {
        config.Validate();
        var model = state.Model;
        var device = model.W_E.device;
        var key = RunKey(kind, state, data, config);
        var startStep = state.Step;
        var endStep = startStep + config.Steps;
        var log = new List<StepMetrics>();
        using var held = store?.Lock(key);
        string? checkpoint = null, metrics = null;
        if (store is not null)
        {
            (checkpoint, metrics) = (store.PathOf(key, ".checkpoint"), store.PathOf(key, ".metrics.csv"));
            if (!File.Exists(checkpoint)) ContinueShorterRun(store, key, checkpoint, metrics);
            store.Describe(key);
            if (File.Exists(checkpoint))
            {
                state.Restore(checkpoint, out _, out var savedStart);
                if (savedStart != startStep || state.Step > endStep)
                    throw new InvalidDataException($"{checkpoint} holds steps {savedStart}..{state.Step}, not a part "
                        + $"of {startStep}..{endStep}.");
                log = File.Exists(metrics)
                    ? CsvFile.Read<StepMetrics>(metrics, dropTornLastLine: true).Select(r => r.Row).Where(m =>
                        m.Step <= state.Step).ToList()
                    : [];
                CsvFile.Write(metrics, log);
            }
            else if (File.Exists(metrics)) File.Delete(metrics);
        }

        using var trainX = data.Table.Tokens(data.Train, device);
        using var trainY = data.Table.Labels(data.Train, device);
        using var testX = data.Table.Tokens(data.Test, device);
        using var testY = data.Table.Labels(data.Test, device);

        void Record()
        {
            var m = Measure(model, state.Step, trainX, trainY, testX, testY);
            log.Add(m);
            if (metrics is not null) CsvFile.Append(metrics, m);
            progress?.Report(m);
        }
        void Save() { if (checkpoint is not null) state.Save(checkpoint, key.ToString(), startStep); }

        if (log.Count == 0 || log[^1].Step != state.Step) Record();
        while (state.Step < endStep)
        {
            if (cancel.IsCancellationRequested) { Save(); cancel.ThrowIfCancellationRequested(); }
            Step(state, trainX, trainY, config);
            var done = state.Step == endStep;
            if (done || (state.Step - startStep) % config.EvalEvery == 0) Record();
            if (done || (state.Step - startStep) % config.CheckpointEvery == 0) Save();
        }
        if (checkpoint is not null && !File.Exists(checkpoint)) Save();   // a zero-step run still leaves its state
        state.Origin = store is null ? $"{state.Origin} + {config.Steps} unsaved steps" : $"run {key.Stem}";
        state.Checkpoint = checkpoint;
        return log;
    }

    /// <summary>The key a run is saved under: model sizes, the starting state's origin and step, the data (operation,
    /// p, labels, the split's rows by hash), every setting of <paramref name="config"/>; the length as the key's
    /// variant.</summary>
    public static ResultKey RunKey(string kind, TrainingState state, Split data, TrainConfig config) =>
        ResultKey.Of(kind, new { Model = state.Model.Config, Start = state.Origin, StartStep = state.Step,
            Data = data.Describe(),
            Train = config.Settings(), Code = CodeVersion }, $"{config.Steps}steps");

    /// <summary>Bumped when a change to the model or the update changes the numbers a run produces, so saved runs from
    /// before are recomputed instead of reused.</summary>
    public const int CodeVersion = 3;   // 3: the loss in float64

    /// <summary>Starts a run from the longest saved run with the same settings and fewer steps, if there is
    /// one.</summary>
    internal static void ContinueShorterRun(ResultsStore store, ResultKey key, string checkpoint, string metrics)
    {
        static int Steps(ResultKey k) => int.Parse(k.Variant[..^"steps".Length]);
        var shorter = store.Variants(key).Where(k => k.Variant.EndsWith("steps") && Steps(k) < Steps(key)
                                                     && store.Has(k, ".checkpoint")).MaxBy(Steps);
        if (shorter is null) return;
        File.Copy(store.PathOf(shorter, ".checkpoint"), checkpoint);
        if (store.Has(shorter, ".metrics.csv")) File.Copy(store.PathOf(shorter, ".metrics.csv"), metrics,
            overwrite: true);
    }

    /// <summary>One full-batch AdamW update on (x, y).</summary>
    public static void Step(TrainingState state, Tensor x, Tensor y, TrainConfig config)
    {
        using var scope = NewDisposeScope();
        var loss = CrossEntropy.Mean(state.Model.Forward(x), y, config.LossPrecision);
        var grads = autograd.grad([loss], state.Model.Parameters.Select(p => p.Value).ToArray());
        state.AdamWStep(grads, config);
    }

    /// <summary>Loss (float64), accuracy, norms and correct-class logit of the model as it is now.</summary>
    public static StepMetrics Measure(Transformer model, int step, Tensor trainX, Tensor trainY, Tensor testX,
        Tensor testY)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        (double loss, double acc, double logit) On(Tensor x, Tensor y)
        {
            if (x.shape[0] == 0) return (double.NaN, double.NaN, double.NaN);
            var logits = model.Forward(x).to(ScalarType.Float64);
            return (CrossEntropy.Mean(logits, y).item<double>(),
                logits.argmax(1).eq(y).to(ScalarType.Float64).mean().item<double>(),
                (logits.gather(1, y.unsqueeze(1)).squeeze(1) - logits.mean([1L])).mean().item<double>());
        }
        var train = On(trainX, trainY);
        var test = On(testX, testY);
        var norms = model.Parameters
            .Select(p => Math.Sqrt(p.Value.to(ScalarType.Float64).square().sum().item<double>())).ToArray();
        var total = Math.Sqrt(norms.Sum(n => n * n));
        return new StepMetrics(step, train.loss, train.acc, test.loss, test.acc, total, train.logit,
            norms[0], norms[1], norms[2], norms[3], norms[4], norms[5], norms[6], norms[7], norms[8], norms[9],
                norms[10]);
    }

    /// <summary>First logged step at which <paramref name="value"/> reaches <paramref name="threshold"/> (null if
    /// never).</summary>
    public static int? FirstStep(IEnumerable<StepMetrics> log, Func<StepMetrics, double> value, double threshold) =>
        log.FirstOrDefault(m => value(m) >= threshold)?.Step;
}
