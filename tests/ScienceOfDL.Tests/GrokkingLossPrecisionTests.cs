using ScienceOfDL.Grokking;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests;

public class GrokkingLossPrecisionTests : TinyGrokking
{
    /// <summary>A tiny network trained to fit its data, its logits then scaled so that the smallest margin (correct
    /// logit minus the largest other) is c: a fit driven towards perfect, as a long run under cross-entropy drives
    /// it. Per c: the mean loss and the largest |gradient| on a correct-class logit, in float32 and in
    /// float64.</summary>
    static List<(double C, double Loss32, double Grad32, double Loss64, double Grad64)> Drive()
    {
        using var state = TrainingState.Create(Tiny, seed: 0);
        Trainer.Train(state, Data, new TrainConfig(Steps: 300, LearningRate: 1e-2, WeightDecay: 0, EvalEvery: 300));
        using var x = Table.Tokens(Data.Train);
        using var y = Table.Labels(Data.Train);
        using var fitted = no_grad();
        using var baseLogits = state.Model.Forward(x);
        Assert.Equal(1.0, baseLogits.argmax(1).eq(y).to(ScalarType.Float64).mean().item<double>());
        var correct = baseLogits.gather(1, y.unsqueeze(1));
        var isCorrect = nn.functional.one_hot(y, baseLogits.shape[1]).to(ScalarType.Bool);
        var margin = (correct - baseLogits.masked_fill(isCorrect, float.NegativeInfinity).amax([1L], keepdim: true))
            .min()
            .item<float>();
        return new[] { 6.0, 9, 12, 15, 18, 21, 24 }
            .Select(c =>
            {
                (double Loss, double Grad) At(ScalarType precision)
                {
                    using var scope = NewDisposeScope();
                    using var enable = enable_grad();
                    var logits = (baseLogits * (c / margin)).detach().requires_grad_();
                    var loss = CrossEntropy.Mean(logits, y, precision);
                    var grad = autograd.grad([loss], [logits])[0];
                    var gradCorrect = grad.gather(1, y.unsqueeze(1)).abs().max().item<float>();
                    return (loss.to(ScalarType.Float64).item<double>(), gradCorrect);
                }
                var (l32, g32) = At(ScalarType.Float32);
                var (l64, g64) = At(ScalarType.Float64);
                return (c, l32, (double)g32, l64, (double)g64);
            })
            .ToList();
    }

    [Fact]
    public void Near_a_perfect_fit_a_float32_loss_floors_while_the_float64_loss_keeps_falling()
    {
        var rows = Drive();
        var report = string.Join(
            "\n",
            rows.Select(r =>
                $"c {r.C}: float32 loss {r.Loss32:G3} grad {r.Grad32:G3}; float64 loss {r.Loss64:G3} grad {r.Grad64:G3}"
            )
        );
        // float64: loss and the correct logits' gradient fall at every step of c, smoothly (each by a factor of
        // at least 2), down to far below float32's resolution.
        for (var i = 1; i < rows.Count; i++)
        {
            Assert.True(rows[i].Loss64 < rows[i - 1].Loss64 / 2, report);
            Assert.True(rows[i].Grad64 > 0 && rows[i].Grad64 < rows[i - 1].Grad64, report);
        }
        Assert.True(rows[^1].Loss64 < 1e-9, report);
        // float32: once the float64 loss is below float32's epsilon (1.19e-7), the float32 loss is stuck on its grid
        // (0 or a multiple of 2^-23 per example, averaged) and no correct logit gets any gradient.
        var stuck = rows.Where(r => r.Loss64 < 1e-8).ToList();
        Assert.True(stuck.Count >= 2, report);
        foreach (var r in stuck)
        {
            Assert.Equal(0.0, r.Grad32);
            Assert.True(r.Loss32 is 0 || r.Loss32 > 2 * r.Loss64, report); // not the true loss: rounded
        }
        Assert.Equal(stuck[^2].Loss32, stuck[^1].Loss32); // a floor: no change while the true loss falls
    }
}
