namespace ScienceOfDL.Ccs.Data;

/// <summary>One way of asking a dataset's question. <see cref="Stem"/> is the prompt up to the answer; the answer is
/// appended at the very END, because CCS reads the hidden state of the last token. <see cref="Answers"/> gives the two
/// answers (first = x⁺, second = x⁻), each with its leading space; an example's label is 1 when the first is
/// correct.</summary>
public sealed record PromptTemplate(
    string Dataset,
    int Id,
    string Name,
    Func<Example, string> Stem,
    Func<Example, (string First, string Second)> Answers
)
{
    public string Render(Example example, bool firstAnswer) =>
        Stem(example) + (firstAnswer ? Answers(example).First : Answers(example).Second);

    /// <summary>The prompt answered correctly (used for few-shot demonstrations).</summary>
    public string RenderCorrect(Example example) => Render(example, example.Label == 1);

    public override string ToString() => $"{Dataset}#{Id} ({Name})";
}
