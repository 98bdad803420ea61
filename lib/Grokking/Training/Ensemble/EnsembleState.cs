using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>
/// The training state of R runs at once: an <see cref="EnsembleTransformer"/>, AdamW's moments as (R, P) buffers (row r
/// = run r's <see cref="TrainingState"/> buffers) and each run's own step counters. Built from ordinary training states
/// (fresh ones, or ones loaded from checkpoints) and copied back into them, so everything else works on single runs.
/// </summary>
public sealed class EnsembleState : IDisposable
{
    public EnsembleTransformer Model { get; }

    /// <summary>Updates applied to each run's model in total.</summary>
    public int[] Step { get; }

    /// <summary>Updates since each run's optimiser state was last reset (bias correction and warm-up).</summary>
    public int[] OptimizerStep { get; }
    readonly Tensor _m,
        _v;

    public EnsembleState(IReadOnlyList<TrainingState> states)
    {
        Model = new EnsembleTransformer(states.Select(s => s.Model).ToList());
        Step = states.Select(s => s.Step).ToArray();
        OptimizerStep = states.Select(s => s.OptimizerStep).ToArray();
        using var _ = no_grad();
        _m = stack(states.Select(s => s.FirstMoment).ToArray());
        _v = stack(states.Select(s => s.SecondMoment).ToArray());
    }

    public int Runs => Model.Runs;

    /// <summary>Writes run r's weights, moments and counters into a training state of the same sizes.</summary>
    public void CopyTo(int run, TrainingState state)
    {
        Model.CopyTo(run, state.Model);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        state.FirstMoment.copy_(_m[run]);
        state.SecondMoment.copy_(_v[run]);
        state.Step = Step[run];
        state.OptimizerStep = OptimizerStep[run];
    }

    /// <summary>One AdamW update of every run, as <see cref="TrainingState"/> does it (decoupled weight decay, linear
    /// warm-up, bias correction), with run r's learning rate, weight decay and warm-up from configs[r]. Betas and eps
    /// must be the same for all runs. <paramref name="grad"/> is (R, P), laid out like the weights.</summary>
    internal void AdamWStep(Tensor grad, IReadOnlyList<TrainConfig> configs)
    {
        var (beta1, beta2, eps) = (configs[0].Beta1, configs[0].Beta2, configs[0].Eps);
        var decay = new float[Runs]; // 1 − lr·wd
        var stepSize = new float[Runs]; // lr / (1 − β1^t)
        var rootBc2 = new float[Runs]; // √(1 − β2^t)
        for (var r = 0; r < Runs; r++)
        {
            var c = configs[r];
            OptimizerStep[r]++;
            Step[r]++;
            var lr = c.LearningRate * Math.Min(1.0, OptimizerStep[r] / (double)Math.Max(1, c.WarmupSteps));
            decay[r] = (float)(1 - lr * c.WeightDecay);
            stepSize[r] = (float)(lr / (1 - Math.Pow(beta1, OptimizerStep[r])));
            rootBc2[r] = (float)Math.Sqrt(1 - Math.Pow(beta2, OptimizerStep[r]));
        }
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var device = grad.device;
        Tensor PerRun(float[] values) => tensor(values, [Runs, 1], device: device);
        _m.mul_(beta1).add_(grad, alpha: 1 - beta1);
        _v.mul_(beta2).addcmul_(grad, grad, value: 1 - beta2);
        var denom = _v.sqrt().div_(PerRun(rootBc2)).add_(eps);
        Model.Weights.mul_(PerRun(decay)).addcdiv_(_m * PerRun(stepSize), denom, value: -1);
    }

    public void Dispose()
    {
        Model.Dispose();
        _m.Dispose();
        _v.Dispose();
    }
}
