using System.Runtime.CompilerServices;

// TorchSharp uses both cores and notebook runs are whole processes: run tests one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

static class TestProcess
{
    /// <summary>The tests run with the CPU settings the notebooks use (before any tensor work in this process).</summary>
    [ModuleInitializer]
    internal static void Tune() => ScienceOfDL.CpuTuning.Apply();
}
