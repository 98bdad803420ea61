namespace ScienceOfDL.Plots;

/// <summary>How a series is drawn. <c>VerticalLine</c> and <c>HorizontalLine</c> are reference lines across the
/// data.</summary>
public enum SeriesKind
{
    Lines,
    Markers,
    LinesAndMarkers,
    Bars,
    Box,
    Histogram,
    VerticalLine,
    HorizontalLine,
}
