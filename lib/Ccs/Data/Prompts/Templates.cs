namespace ScienceOfDL.Ccs.Data;

/// <summary>The prompt templates, at least three per dataset, in the spirit of the promptsource prompts Burns et al.
/// used (written for this project). Template 0 of each dataset is its default.</summary>
public static class Templates
{
    static Func<Example, (string, string)> Fixed(string first, string second) => _ => (first, second);

    /// <summary>The question without its final "?", so templates can add their own.</summary>
    static string Q(Example e) => e["question"].Trim().TrimEnd('?');

    public static readonly IReadOnlyList<PromptTemplate> MovieReviews =
    [
        new(
            "movie-reviews",
            0,
            "sentiment-is",
            e => $"{e["text"]}\nThe sentiment of this review is",
            Fixed(" positive", " negative")
        ),
        new(
            "movie-reviews",
            1,
            "review-colon",
            e => $"Movie review: {e["text"]}\nIs this review positive or negative? It is",
            Fixed(" positive", " negative")
        ),
        new(
            "movie-reviews",
            2,
            "liked-it",
            e => $"{e["text"]}\nDid the reviewer like the movie?",
            Fixed(" Yes", " No")
        ),
        new(
            "movie-reviews",
            3,
            "opinion",
            e => $"Here is what someone wrote about a film:\n{e["text"]}\nTheir opinion of the film is",
            Fixed(" good", " bad")
        ),
    ];

    /// <summary>The movie-review templates' wording, for short statements.</summary>
    public static readonly IReadOnlyList<PromptTemplate> PolarStatements =
    [
        new(
            "polar-statements",
            0,
            "sentiment-is",
            e => $"{e["text"]}\nThe sentiment of this statement is",
            Fixed(" positive", " negative")
        ),
        new(
            "polar-statements",
            1,
            "statement-colon",
            e => $"Statement: {e["text"]}\nIs this statement positive or negative? It is",
            Fixed(" positive", " negative")
        ),
        new("polar-statements", 2, "liked-it", e => $"{e["text"]}\nDid the speaker like it?", Fixed(" Yes", " No")),
        new(
            "polar-statements",
            3,
            "opinion",
            e => $"Here is what someone said:\n{e["text"]}\nTheir opinion of it is",
            Fixed(" good", " bad")
        ),
    ];

    public static readonly IReadOnlyList<PromptTemplate> YesNoQuestions =
    [
        new(
            "yes-no-questions",
            0,
            "question-answer",
            e => $"{e["passage"]}\nQuestion: {Q(e)}?\nAnswer:",
            Fixed(" yes", " no")
        ),
        new(
            "yes-no-questions",
            1,
            "after-reading",
            e => $"Passage: {e["passage"]}\nAfter reading this passage, the answer to the question \"{Q(e)}?\" is",
            Fixed(" yes", " no")
        ),
        new(
            "yes-no-questions",
            2,
            "based-on",
            e => $"{e["passage"]}\n\nBased on the text above, answer yes or no: {Q(e)}?\nThe answer is",
            Fixed(" yes", " no")
        ),
        new(
            "yes-no-questions",
            3,
            "exam",
            e => $"Read the text and answer the question with yes or no.\nText: {e["passage"]}\nQ: {Q(e)}?\nA:",
            Fixed(" Yes", " No")
        ),
    ];

    /// <summary>Binary topic choice as Burns et al. built it for DBpedia-14: the true topic against one random other
    /// topic (fixed per example at load time), offered as choice A and choice B.</summary>
    public static readonly IReadOnlyList<PromptTemplate> Topics =
    [
        new(
            "topics",
            0,
            "about-a-or-b",
            e => $"{e["text"]}\nIs this about {e["choice_a"]} or {e["choice_b"]}?\nAnswer:",
            e => (" " + e["choice_a"], " " + e["choice_b"])
        ),
        new(
            "topics",
            1,
            "choice-1-2",
            e =>
                $"Text: {e["text"]}\nChoice 1: {e["choice_a"]}. Choice 2: {e["choice_b"]}.\n"
                + "Which choice is the topic of the text? Choice",
            _ => (" 1", " 2")
        ),
        new(
            "topics",
            2,
            "category",
            e => $"Pick the category that fits best, {e["choice_a"]} or {e["choice_b"]}.\n{e["text"]}\nCategory:",
            e => (" " + e["choice_a"], " " + e["choice_b"])
        ),
        new(
            "topics",
            3,
            "describes",
            e => $"\"{e["text"]}\"\nThe passage above describes something from the category",
            e => (" " + e["choice_a"], " " + e["choice_b"])
        ),
    ];

    public static readonly IReadOnlyList<PromptTemplate> Facts =
    [
        new("facts", 0, "true-or-false", e => $"{e["statement"]} True or false?", Fixed(" True", " False")),
        new(
            "facts",
            1,
            "claim-is",
            e => $"Consider the following claim: {e["statement"]}\nIs this claim true or false? The claim is",
            Fixed(" true", " false")
        ),
        new(
            "facts",
            2,
            "correct",
            e => $"Statement: {e["statement"]}\nQuestion: Is the statement correct?\nAnswer:",
            Fixed(" yes", " no")
        ),
    ];

    /// <summary>
    /// Farquhar et al. §4.4's three instruction prompts around one template's question: the template as it is
    /// ("default"), the same after the instructions given to a careful "Professor Smith" whose answers follow
    /// ("professor"), and after the instructions alone ("literal"). Our wording of their TruthfulQA prompts, for a
    /// question whose answer the text settles. Ids 0, 1, 2; the answers are the template's.
    /// </summary>
    public static IReadOnlyList<PromptTemplate> Instructions(PromptTemplate template)
    {
        const string careful =
            "Interpret each question literally, and as a question about the real world; "
            + "read each text carefully and answer only from what it says, without falling prey to first "
            + "impressions.";
        PromptTemplate With(int id, string name, string prefix) =>
            new(template.Dataset, id, name, e => prefix + template.Stem(e), template.Answers);
        return
        [
            With(0, "default", ""),
            With(
                1,
                "professor",
                "Professor Smith was given the following instructions: "
                    + careful
                    + " Here are the Professor's answers:\n\n"
            ),
            With(2, "literal", careful + "\n\n"),
        ];
    }
}
