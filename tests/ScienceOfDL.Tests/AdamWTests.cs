using ScienceOfDL.Grokking;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests;

/// <summary>The grokking trainer's own AdamW step (flat moment buffers, decoupled weight decay, linear warm-up)
/// against TorchSharp's <c>torch.optim.AdamW</c> given the same gradients and the same learning rate
/// schedule.</summary>
public class AdamWTests
{
    [Fact]
    public void The_own_AdamW_step_equals_torch_optim_AdamW()
    {
        var config = new TrainConfig(Steps: 15, LearningRate: 1e-2, WeightDecay: 1.0, WarmupSteps: 10);
        var model = new TransformerConfig(8, 7, DModel: 16, Heads: 2, DHead: 8, DMlp: 32);
        using var state = TrainingState.Create(model, seed: 3);
        var start = state.Model.Parameters.Select(p => p.Value.detach().clone()).ToArray();
        var reference = state.Model.Parameters.Select(p => new Parameter(p.Value.detach().clone())).ToArray();
        var optimizer = NewAdamW(reference, config);
        using var g = Seeds.Generator(11);

        void Step(int optimizerStep)
        {
            using var scope = NewDisposeScope();
            var grads = reference.Select(p => randn(p.shape, generator: g)).ToArray();
            state.AdamWStep(grads, config);
            // Our warm-up scales the learning rate by min(1, t / warm-up); give torch the same rate for this step.
            foreach (var group in optimizer.ParamGroups)
                group.LearningRate = config.LearningRate * Math.Min(1.0, optimizerStep / (double)config.WarmupSteps);
            optimizer.zero_grad();
            // A loss whose gradient with respect to each parameter is that parameter's grad.
            reference.Zip(grads, (p, grad) => (p * grad).sum()).Aggregate((a, b) => a + b).backward();
            optimizer.step();
        }

        for (var t = 1; t <= config.Steps; t++)
        {
            Step(t);
            Assert.True(MaxDifference(state, reference) < 2e-6, $"step {t}: {MaxDifference(state, reference):E2}");
        }
        // The steps moved the weights far more than the tolerance, so the agreement is not trivial.
        Assert.True(state.Model.Parameters.Zip(start, (p, s) => (p.Value - s).abs().max().item<float>()).Max() > 0.05);

        // After ResetOptimizer the state behaves like a fresh torch optimiser on the current weights.
        state.ResetOptimizer();
        optimizer = NewAdamW(reference, config);
        for (var t = 1; t <= 3; t++)
        {
            Step(t);
            var difference = MaxDifference(state, reference);
            Assert.True(difference < 2e-6, $"after reset, step {t}: {difference:E2}");
        }
    }

    static optim.Optimizer NewAdamW(Parameter[] parameters, TrainConfig c) =>
        optim.AdamW(
            parameters,
            lr: c.LearningRate,
            beta1: c.Beta1,
            beta2: c.Beta2,
            eps: c.Eps,
            weight_decay: c.WeightDecay
        );

    static float MaxDifference(TrainingState state, Parameter[] reference) =>
        state.Model.Parameters.Zip(reference, (p, r) => (p.Value - r).abs().max().item<float>()).Max();
}
