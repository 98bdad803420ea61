namespace ScienceOfDL.LanguageModels;

/// <summary>Where the answer sits in a text: the characters [Start, Start + Length), e.g. " positive" at the end of a
/// prompt. It must begin and end at a token boundary (a leading space, punctuation or the end of the text
/// do).</summary>
public readonly record struct AnswerSpan(int Start, int Length)
{
    public int End => Start + Length;
}
