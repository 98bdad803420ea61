using ScienceOfDL.Ccs.Probing;
using static TorchSharp.torch;

namespace ScienceOfDL.Ccs.Baselines;

/// <summary>What supervised logistic regression sees of a pair.</summary>
public enum PairFeatures
{
    /// <summary>[x⁺, x⁻] side by side (Burns Table 1's ceiling; Farquhar et al.'s logistic regression).</summary>
    Concatenated,

    /// <summary>x⁺ − x⁻ (the sanity check in Burns' public evaluate.py).</summary>
    Difference,
}

/// <summary>
/// Supervised logistic regression, the ceiling for the unsupervised methods. Objective as scikit-learn's default
/// (C = 1, L2 on the weights, bias unpenalised): Σᵢ BCE + ‖w‖²/(2C). Solved by Newton's method with backtracking in
/// float64 on the data's device; for this strictly convex problem it converges in a handful of steps.
/// </summary>
public static class LogisticRegression
{
    public static LinearScorer Fit(
        HiddenPairs train,
        PairFeatures features = PairFeatures.Concatenated,
        double c = 1.0,
        int maxSteps = 50
    )
    {
        train.Validate();
        using var scope = NewDisposeScope();
        var d = train.Dim;
        var x = Design(train, features); // [n, k+1], last column 1
        var y = train.LabelTensor().to(float64);
        var k = x.shape[1];
        var penalty = ones(k, float64, train.Device) / c;
        penalty[k - 1] = 0; // bias is not penalised
        var w = zeros(k, float64, train.Device);
        double Objective(Tensor v) =>
            (nn.functional.softplus(matmul(x, v)) - y * matmul(x, v)).sum().item<double>()
            + 0.5 * (penalty * v * v).sum().item<double>();
        var f = Objective(w);
        for (var step = 0; step < maxSteps; step++)
        {
            var p = sigmoid(matmul(x, w));
            var grad = matmul(x.t(), p - y) + penalty * w;
            var hessian = matmul(x.t() * (p * (1 - p)), x) + diag(penalty + 1e-10);
            var delta = linalg.solve(hessian, grad);
            var t = 1.0;
            var next = w - delta;
            var fNext = Objective(next);
            while (fNext > f && t > 1e-6)
            {
                t /= 2;
                next = w - t * delta;
                fNext = Objective(next);
            }
            var moved = (t * delta).abs().max().item<double>();
            w = next;
            f = fNext;
            if (moved < 1e-9)
                break;
        }
        var wf = w.to(float32);
        var bias = wf[k - 1].item<float>();
        var scorer =
            features == PairFeatures.Concatenated
                ? new LinearScorer(wf.narrow(0, 0, d).clone(), wf.narrow(0, d, d).clone(), bias)
                : LinearScorer.OnDifference(wf.narrow(0, 0, d).clone(), bias);
        scorer.WPos.MoveToOuterDisposeScope();
        scorer.WNeg.MoveToOuterDisposeScope();
        return scorer;
    }

    static Tensor Design(HiddenPairs pairs, PairFeatures features)
    {
        var x = features == PairFeatures.Concatenated ? cat(new[] { pairs.Pos, pairs.Neg }, 1) : pairs.Pos - pairs.Neg;
        return cat(new[] { x.to(float64), ones(pairs.Count, 1, float64, pairs.Device) }, 1);
    }
}
