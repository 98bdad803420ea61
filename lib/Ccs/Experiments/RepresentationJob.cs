using ScienceOfDL.Ccs.Data;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>
/// One saved unit of the representation study: a dataset's pairs (their <see cref="ContrastPairs.Fingerprint"/>),
/// which of its slices (<see cref="WholeSet"/>: the whole set only; <see cref="Parts"/>: each difficulty subset and
/// each template on its own) and the grid crossed over them. The study's rows are saved job by job, so a run that
/// stops keeps the finished jobs, and a changed grid or dataset recomputes only its own jobs.
/// </summary>
public sealed record RepresentationJob(string Dataset, string Pairs, string Slices, RepresentationGrid Grid)
{
    public const string WholeSet = "whole";
    public const string Parts = "parts";

    /// <summary>The slices this job studies among a dataset's <see cref="StudySlice.Standard"/> ones (the whole set
    /// comes first there).</summary>
    public IReadOnlyList<StudySlice> Select(IReadOnlyList<StudySlice> standard) =>
        Slices == WholeSet ? standard.Take(1).ToList() : standard.Skip(1).ToList();
}
