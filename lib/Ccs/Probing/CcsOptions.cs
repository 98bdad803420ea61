using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ScienceOfDL.Ccs.Probing;

public enum ProbeKind
{
    /// <summary>p(x) = σ(θᵀx + b), Burns et al.'s probe.</summary>
    Linear,

    /// <summary>d → Hidden (ReLU) → 1 → σ: the MLPProbe of Burns' public code (its evaluate.py default).</summary>
    Mlp,
}

public enum ProbeInit
{
    /// <summary>Burns App. G.3: (θ, b) drawn as one random vector of unit norm (for the MLP: each unit's incoming
    /// weights).</summary>
    UnitNorm,

    /// <summary>PyTorch's nn.Linear default, U(±1/√fan_in) for weights and bias, as in Burns' public code.</summary>
    Default,

    /// <summary>Zero, plus a 1e-4-scale random tie-break. Exact zero is a stationary point on centred data (p ≡ ½ for
    /// both halves, and every gradient with respect to θ is a multiple of the zero mean of x⁺ + x⁻), so the probe would
    /// never move. With Adam the first steps have size ≈ lr whatever the gradient's scale, so the tie-break only picks
    /// a direction to roll off.</summary>
    Zero,

    /// <summary>Farquhar et al. (Haiku's default): normal with std 1/√fan_in truncated at ±2 std, biases 0.</summary>
    TruncatedNormal,
}

/// <summary>
/// CCS training settings. The defaults are Burns et al.'s paper (App. G.3): linear probe, unit-norm init, AdamW with
/// lr 0.01, 10 restarts × 1000 full-batch epochs, keep the lowest-loss restart. The paper gives no weight decay; we use
/// 0.01, the value in Burns' public code (also PyTorch's AdamW default). Burns' public code differs: lr 1e-3, PyTorch
/// default init, and its evaluate.py trains the MLP probe (see <see cref="BurnsRepo"/>). Farquhar et al. use the
/// symmetric confidence loss, truncated-normal init, no weight decay, lr 1e-3 (Chinchilla) or 1e-2 (T5), 50 seeds, all
/// reported.
/// </summary>
public sealed record CcsOptions
{
    public int Restarts { get; init; } = 10;
    public int Epochs { get; init; } = 1000;
    public double LearningRate { get; init; } = 0.01;
    public double WeightDecay { get; init; } = 0.01;
    public ConfidenceTerm Confidence { get; init; } = ConfidenceTerm.Burns;
    public ProbeKind Kind { get; init; } = ProbeKind.Linear;
    public ProbeInit Init { get; init; } = ProbeInit.UnitNorm;

    /// <summary>Hidden width of the MLP probe.</summary>
    public int Hidden { get; init; } = 100;

    /// <summary>Restart r starts from <c>Seeds.Derive(Seed, r)</c>.</summary>
    public int Seed { get; init; } = 0;

    public static CcsOptions BurnsPaper => new();

    /// <summary>The settings a notebook names: "Burns" (<see cref="BurnsPaper"/>) or "Farquhar".</summary>
    public static CcsOptions Named(string name) =>
        name switch
        {
            "Farquhar" => Farquhar,
            "Burns" => BurnsPaper,
            _ => throw new ArgumentException($"ccsSettings: \"Burns\" or \"Farquhar\", not \"{name}\""),
        };

    public static CcsOptions BurnsRepo =>
        new()
        {
            LearningRate = 1e-3,
            Init = ProbeInit.Default,
            Kind = ProbeKind.Mlp,
        };
    public static CcsOptions Farquhar =>
        new()
        {
            Restarts = 50,
            LearningRate = 1e-3,
            WeightDecay = 0,
            Confidence = ConfidenceTerm.Symmetric,
            Init = ProbeInit.TruncatedNormal,
        };

    public int[] RestartSeeds() => Enumerable.Range(0, Restarts).Select(r => Seeds.Derive(Seed, r)).ToArray();
}
