using ScienceOfDL.Results;
using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>
/// Full-batch AdamW training (every update sees the whole training set, as in the papers). With a run name, metrics are
/// appended to <c>NAME.metrics.csv</c> as they are measured and the state is checkpointed to <c>NAME.checkpoint</c>; calling
/// again with the same name resumes exactly where the checkpoint left off (the log is cut back to it), or returns the
/// finished log at once.
/// </summary>
public static class Trainer
{
    public static List<StepMetrics> Train(TrainingState state, Split data, TrainConfig config, string? runName = null,
        ResultsStore? store = null, IProgress<StepMetrics>? progress = null, CancellationToken cancel = default)
    {
        if (runName is not null) store ??= new ResultsStore();
        var model = state.Model;
        var device = model.W_E.device;
        var description = $"{model.Config} | {data.Describe()} | {config.Describe()}";
        var metricsFile = runName + ".metrics.csv";
        var checkpoint = runName is null ? null : store!.PathOf(runName + ".checkpoint");
        var log = new List<StepMetrics>();
        var startStep = state.Step;

        if (checkpoint is not null && File.Exists(checkpoint))
        {
            state.Restore(checkpoint, out var saved, out startStep);
            if (saved != description)
                throw new InvalidDataException($"{checkpoint} belongs to another run ({saved}); this one is ({description}). Delete it or choose another run name.");
            log = store!.Exists(metricsFile) ? store.ReadCsv<StepMetrics>(metricsFile).Where(m => m.Step <= state.Step).ToList() : [];
            store.WriteCsv(metricsFile, log);
        }
        else if (runName is not null) store!.Delete(metricsFile);

        var endStep = startStep + config.Steps;
        using var trainX = data.Table.Tokens(data.Train, device);
        using var trainY = data.Table.Labels(data.Train, device);
        using var testX = data.Table.Tokens(data.Test, device);
        using var testY = data.Table.Labels(data.Test, device);

        void Record()
        {
            var m = Measure(model, state.Step, trainX, trainY, testX, testY);
            log.Add(m);
            if (runName is not null) store!.AppendCsv(metricsFile, m);
            progress?.Report(m);
        }
        void Save() { if (checkpoint is not null) state.Save(checkpoint, description, startStep); }

        if (log.Count == 0 || log[^1].Step != state.Step) Record();
        while (state.Step < endStep)
        {
            if (cancel.IsCancellationRequested) { Save(); cancel.ThrowIfCancellationRequested(); }
            Step(state, trainX, trainY, config);
            var done = state.Step == endStep;
            if (done || (state.Step - startStep) % config.EvalEvery == 0) Record();
            if (done || (state.Step - startStep) % config.CheckpointEvery == 0) Save();
        }
        return log;
    }

    /// <summary>One full-batch AdamW update on (x, y).</summary>
    public static void Step(TrainingState state, Tensor x, Tensor y, TrainConfig config)
    {
        using var scope = NewDisposeScope();
        var loss = nn.functional.cross_entropy(state.Model.Forward(x), y);
        var grads = autograd.grad([loss], state.Model.Parameters.Select(p => p.Value).ToArray());
        state.AdamWStep(grads, config);
    }

    /// <summary>Loss, accuracy, norms and correct-class logit of the model as it is now.</summary>
    public static StepMetrics Measure(Transformer model, int step, Tensor trainX, Tensor trainY, Tensor testX, Tensor testY)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        (double loss, double acc, double logit) On(Tensor x, Tensor y)
        {
            if (x.shape[0] == 0) return (double.NaN, double.NaN, double.NaN);
            var logits = model.Forward(x);
            return (nn.functional.cross_entropy(logits, y).item<float>(),
                logits.argmax(1).eq(y).to(ScalarType.Float32).mean().item<float>(),
                (logits.gather(1, y.unsqueeze(1)).squeeze(1) - logits.mean([1L])).mean().item<float>());
        }
        var train = On(trainX, trainY);
        var test = On(testX, testY);
        var norms = model.Parameters.Select(p => Math.Sqrt(p.Value.square().sum().item<float>())).ToArray();
        var total = Math.Sqrt(norms.Sum(n => n * n));
        return new StepMetrics(step, train.loss, train.acc, test.loss, test.acc, total, train.logit,
            norms[0], norms[1], norms[2], norms[3], norms[4], norms[5], norms[6], norms[7], norms[8], norms[9], norms[10]);
    }

    /// <summary>First logged step at which <paramref name="value"/> reaches <paramref name="threshold"/> (null if never).</summary>
    public static int? FirstStep(IEnumerable<StepMetrics> log, Func<StepMetrics, double> value, double threshold) =>
        log.FirstOrDefault(m => value(m) >= threshold)?.Step;
}
