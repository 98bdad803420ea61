using ScienceOfDL.Ccs.Data;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>
/// One saved unit of the representation study: a dataset's pairs (their <see cref="ContrastPairs.Fingerprint"/>),
/// which of its slices (<see cref="WholeSet"/>: the whole set only; <see cref="Parts"/>: each difficulty subset and
/// each template on its own; <see cref="TemplatesOnly"/>: each template on its own) and the grid crossed over them. The
/// study's rows are saved job by job, so a run that stops keeps the finished jobs, and a changed grid or dataset
/// recomputes only its own jobs.
/// </summary>
public sealed record RepresentationJob(string Dataset, string Pairs, string Slices, RepresentationGrid Grid)
{
    public const string WholeSet = "whole";
    public const string Parts = "parts";
    public const string TemplatesOnly = "templates";

    /// <summary>The slices this job studies among a dataset's <see cref="StudySlice.Standard"/> ones (the whole set
    /// comes first there).</summary>
    public IReadOnlyList<StudySlice> Select(IReadOnlyList<StudySlice> standard) =>
        Slices switch
        {
            WholeSet => standard.Take(1).ToList(),
            Parts => standard.Skip(1).ToList(),
            TemplatesOnly => standard.Where(s => s.Subset == StudySlice.All && s.Template != StudySlice.All).ToList(),
            _ => throw new ArgumentOutOfRangeException(nameof(Slices), Slices, "whole, parts or templates"),
        };
}
