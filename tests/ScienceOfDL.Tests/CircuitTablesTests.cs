using ScienceOfDL.Grokking;

namespace ScienceOfDL.Tests;

public class CircuitTablesTests
{
    [Fact]
    public void The_spectrum_rows_skip_frequency_zero_and_scale_the_logits_to_the_embeddings_height()
    {
        var circuit = new CircuitAnalysis([1, 4, 1, 2], [5, 10, 2, 5], 0.99, [1], 0, 0, 0, 0.7, 0.8);

        var rows = CircuitTables.Spectrum(circuit);

        Assert.Equal([1, 2, 3], rows.Select(r => r.K));
        Assert.Equal([4.0, 1, 2], rows.Select(r => r.Embedding));
        Assert.Equal([4.0, 0.8, 2], rows.Select(r => r.LogitsRescaled), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void A_network_table_needs_one_final_test_accuracy_per_network()
    {
        var split = Split.ByFraction(OperationTable.Create(5, Operation.Add), 0.5, seed: 0);
        Assert.Throws<ArgumentException>(() => CircuitTables.Grokked([], [1.0], split));
    }
}
