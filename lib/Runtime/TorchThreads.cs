using static TorchSharp.torch;

namespace ScienceOfDL;

/// <summary>
/// Runs work with a given number of TorchSharp threads and restores the count afterwards. Small tensor work (CCS
/// probes, the grokking models' sweeps) gains nothing from a second thread, and on a busy 2-core machine the hand-offs
/// cost more than the arithmetic (measured here: 0.8 s against 13 s per CCS layer); one thread also makes runs
/// bit-reproducible.
/// </summary>
public static class TorchThreads
{
    public static T Run<T>(int threads, Func<T> work)
    {
        var before = get_num_threads();
        set_num_threads(threads);
        try
        {
            return work();
        }
        finally
        {
            set_num_threads(before);
        }
    }

    public static T One<T>(Func<T> work) => Run(1, work);
}
