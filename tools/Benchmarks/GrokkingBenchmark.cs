using ScienceOfDL.Grokking;
using static TorchSharp.torch;

namespace ScienceOfDL.Benchmarks;

/// <summary>
/// One full-batch AdamW step at the papers' setup ((a + b) mod 113, 30% = 3830 examples, d_model 128), and how much of
/// the machine's matmul throughput it achieves: the FLOPs the step performs per second ÷ FLOPs per second of a large
/// float32 matmul measured in the same run. The step takes its loss in float64 (<see cref="CrossEntropy"/>); the same
/// step with a float32 loss is timed beside it, interleaved, so the two see the same machine.
/// </summary>
public static class GrokkingBenchmark
{
    public static string Run()
    {
        var table = OperationTable.Create(113);
        var split = Split.ByFraction(table, 0.3, seed: 0);
        var config = TransformerConfig.For(table);
        using var state = TrainingState.Create(config, seed: 0);
        using var x = table.Tokens(split.Train);
        using var y = table.Labels(split.Train);
        var float64 = new TrainConfig(Steps: 1);
        var float32 = float64 with { LossPrecision = ScalarType.Float32 };
        double ms = 0,
            ms32 = 0;
        for (var round = 0; round < 3; round++)
        {
            ms += Timing.MedianMs(() => Trainer.Step(state, x, y, float64), warmup: 3, repeats: 10) / 3;
            ms32 += Timing.MedianMs(() => Trainer.Step(state, x, y, float32), warmup: 3, repeats: 10) / 3;
        }
        var stepFlops = StepFlops(config, split.TrainSize);
        var matmul = Timing.MatmulFlopsPerSecond();
        var fraction = stepFlops / (ms / 1000) / matmul;
        return $"ms_per_step={ms:F1} ms_per_step_float32_loss={ms32:F1} float64_over_float32={ms / ms32:F3} "
            + $"matmul_fraction={fraction:F2} step_gflop={stepFlops / 1e9:F2} matmul_gflops={matmul / 1e9:F1} "
            + $"examples={split.TrainSize} threads={get_num_threads()}";
    }

    /// <summary>Multiply-adds the model performs (×2 FLOPs), forward ×3 for forward + backward (the backward of each
    /// product needs two products of the same size: one for the input's gradient, one for the weight's).</summary>
    public static double StepFlops(TransformerConfig c, int n)
    {
        double d = c.DModel,
            hd = c.Heads * c.DHead,
            t = c.Context;
        var table = t * c.Vocab * d * 3 * hd; // q, k, v of every (position, token)
        var attention = 2 * n * t * hd; // scores and weighted sum of values at "="
        var perExample = hd * d + d * c.DMlp + c.DMlp * d + d * c.Outputs; // W_O, W_in, W_out, W_U at "="
        return 3 * 2 * (table + attention + n * perExample);
    }
}
