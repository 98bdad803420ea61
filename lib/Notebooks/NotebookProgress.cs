using Microsoft.DotNet.Interactive.Formatting;
using static Microsoft.DotNet.Interactive.Kernel;

namespace ScienceOfDL.Notebooks;

/// <summary>
/// Adapts the library's <see cref="IProgress{T}"/> reports to one live notebook output, updated at most once per
/// interval. Headless runs (the runner sets <c>SODL_HEADLESS=1</c>) turn every update into a new output, so there the
/// interval is longer.
/// </summary>
public sealed class NotebookProgress<T> : IProgress<T>
{
    readonly Func<T, string> _describe;
    readonly TimeSpan _interval;
    DisplayedValue? _shown;
    DateTime _last = DateTime.MinValue;
    T? _pending;
    bool _hasPending;

    public NotebookProgress(Func<T, string> describe, TimeSpan? interval = null)
    {
        _describe = describe;
        _interval = interval ?? (NotebookSession.IsHeadless ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(1));
    }

    public void Report(T value)
    {
        _pending = value;
        _hasPending = true;
        if (DateTime.UtcNow - _last >= _interval)
            Flush();
    }

    /// <summary>Shows the latest report now (call after the run so the last state is on screen).</summary>
    public void Flush()
    {
        if (!_hasPending)
            return;
        var text = _describe(_pending!);
        if (_shown is null)
            _shown = display(text);
        else
            _shown.Update(text);
        _last = DateTime.UtcNow;
        _hasPending = false;
    }
}

public static class NotebookProgress
{
    public static NotebookProgress<T> Show<T>(Func<T, string> describe, TimeSpan? interval = null) =>
        new(describe, interval);
}
