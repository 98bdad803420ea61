using ScienceOfDL.Grokking;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests;

/// <summary>
/// Base class of the grokking test classes: the tiny configuration they share — (a + b) mod 29, 70% of the table, width
/// 32 — that groks in a few seconds at lr 1e-2, plus a scratch folder and one torch thread for each test's lifetime
/// (models this small gain nothing from two threads, and on a busy machine thread hand-offs cost 10x the math).
/// </summary>
public abstract class TinyGrokking : IDisposable
{
    public static readonly OperationTable Table = OperationTable.Create(29);
    public static readonly Split Data = Split.ByFraction(Table, 0.7, seed: 0);
    public static readonly TransformerConfig Tiny = TransformerConfig.For(Table) with
    {
        DModel = 32,
        DHead = 8,
        DMlp = 128,
    };

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "sodl-grokking-" + Guid.NewGuid().ToString("N"));
    readonly int _threads = get_num_threads();

    protected TinyGrokking() => set_num_threads(1);

    public void Dispose()
    {
        set_num_threads(_threads);
        if (Directory.Exists(Folder))
            Directory.Delete(Folder, recursive: true);
    }
}
