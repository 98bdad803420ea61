using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>AdamW settings and run length. Defaults are those of Nanda et al. and Varma et al.: lr 1e-3, betas (0.9,
/// 0.98), weight decay 1.0, linear warm-up over 10 updates, one full-batch update per epoch, the loss in float64.
/// </summary>
/// <param name="Steps">Updates this run takes (on top of where its starting state already is).</param>
/// <param name="LossPrecision">Float64 (<see cref="CrossEntropy"/>); Float32 only to show what rounding does.</param>
public sealed record TrainConfig(
    int Steps,
    double LearningRate = 1e-3,
    double WeightDecay = 1.0,
    double Beta1 = 0.9,
    double Beta2 = 0.98,
    double Eps = 1e-8,
    int WarmupSteps = 10,
    int EvalEvery = 100,
    int CheckpointEvery = 1000,
    ScalarType LossPrecision = ScalarType.Float64
)
{
    /// <summary>Everything that shapes a run's weights and log, for its result key: all but the checkpoint cadence
    /// (which changes neither) and the run length (a key's variant, so a longer run can continue a shorter
    /// one).</summary>
    public TrainSettings Settings() =>
        new(LearningRate, WeightDecay, Beta1, Beta2, Eps, WarmupSteps, EvalEvery, LossPrecision.ToString());

    /// <summary>Refuses settings that would run on silently into nonsense or divide by zero.</summary>
    public TrainConfig Validate()
    {
        static void Check(bool ok, string what)
        {
            if (!ok)
                throw new ArgumentOutOfRangeException(nameof(TrainConfig), what);
        }
        Check(Steps >= 0, $"Steps must be 0 or more, not {Steps}.");
        Check(
            double.IsFinite(LearningRate) && LearningRate > 0,
            $"LearningRate must be a positive number, not {LearningRate}."
        );
        Check(double.IsFinite(WeightDecay) && WeightDecay >= 0, $"WeightDecay must be 0 or more, not {WeightDecay}.");
        Check(Beta1 is >= 0 and < 1 && Beta2 is >= 0 and < 1, $"Betas must lie in [0, 1), not {Beta1}, {Beta2}.");
        Check(double.IsFinite(Eps) && Eps > 0, $"Eps must be positive, not {Eps}.");
        Check(WarmupSteps >= 0, $"WarmupSteps must be 0 or more, not {WarmupSteps}.");
        Check(EvalEvery >= 1, $"EvalEvery must be at least 1, not {EvalEvery}.");
        Check(CheckpointEvery >= 1, $"CheckpointEvery must be at least 1, not {CheckpointEvery}.");
        Check(
            LossPrecision is ScalarType.Float32 or ScalarType.Float64,
            $"LossPrecision must be Float32 or Float64, not {LossPrecision}."
        );
        return this;
    }
}

/// <summary>The part of a <see cref="TrainConfig"/> that keys a run's results (<see cref="TrainConfig.Settings"/>).
/// </summary>
public sealed record TrainSettings(
    double LearningRate,
    double WeightDecay,
    double Beta1,
    double Beta2,
    double Eps,
    int WarmupSteps,
    int EvalEvery,
    string LossPrecision
);
