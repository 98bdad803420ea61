namespace ScienceOfDL.Ccs.Data;

/// <summary>What a distractor sees for one example: the example, the template, a seeded coin (1 for exactly half of
/// each label) and the few-shot demonstrations already written out.</summary>
public sealed record DistractorInput(Example Example, PromptTemplate Template, int Coin, string ShotsPrefix);

/// <summary>A decorated prompt: both halves are Stem + answer + Suffix, so whatever a distractor adds is identical on
/// x⁺ and x⁻ and the pair still differs only in its answer.</summary>
public sealed record Decorated(string Stem, string Suffix, IReadOnlyDictionary<string, int>? Tags);

/// <summary>A change to the prompts that plants a feature other than the truth (Farquhar et al. 2023, §4).
/// <see cref="Shots"/>/<see cref="ShotKey"/>/<see cref="WriteShot"/> describe its few-shot demonstrations, if
/// any.</summary>
public sealed record Distractor(
    string Name,
    Func<DistractorInput, Decorated> Apply,
    int Shots = 0,
    Func<Example, object>? ShotKey = null,
    Func<Example, PromptTemplate, string>? WriteShot = null
);

/// <summary>The three distractors of Farquhar et al. §4.1–4.3, in our own wording.</summary>
public static class Distractors
{
    /// <summary>§4.1 random words: after the answer, <paramref name="tagged"/> (". Banana") on the pairs whose coin is
    /// 1 and
    /// <paramref name="untagged"/> (". Shed") on the others; the same word on both halves. Tag "banana" = the
    /// coin.</summary>
    public static Distractor RandomWords(string tagged = ". Banana", string untagged = ". Shed") =>
        new("random-words", x => new Decorated(
            x.ShotsPrefix + x.Template.Stem(x.Example),
            x.Coin == 1 ? tagged : untagged,
            new Dictionary<string, int> { ["banana"] = x.Coin }
        ));

    /// <summary>§4.2 explicit opinion: an expert, Alice, whom everyone copies, states an opinion (the first answer when
    /// the coin is 1, else the second) <paramref name="mentions"/> times (0 = none: the ablation's baseline) before the
    /// model answers "I think it is ...". Uses the template's answer words, so pick a template whose answers read as an
    /// opinion (movie-reviews #0: " positive"/" negative"). Tag "alice" = 1 when Alice backs the first
    /// answer.</summary>
    /// <summary>The task Alice is said to do on <paramref name="dataset"/>, in her opinion's prompt.</summary>
    public static string AliceTask(string dataset) =>
        dataset switch
        {
            "movie-reviews" => "classifying the sentiment of movie reviews",
            "polar-statements" => "classifying the sentiment of statements",
            "topics" => "classifying what short texts are about",
            _ => $"answering questions about {dataset}",
        };

    public static Distractor AliceOpinion(
        int mentions = 1,
        string task = "classifying the sentiment of movie reviews",
        Func<Example, string>? content = null
    )
    {
        ArgumentOutOfRangeException.ThrowIfNegative(mentions);
        content ??= e => e["text"];
        return new("alice-opinion", x =>
        {
            var (first, second) = x.Template.Answers(x.Example);
            var opinion = x.Coin == 1 ? first : second;
            var says = string.Concat(Enumerable.Repeat($"Alice thinks it is{opinion}. ", mentions));
            var stem =
                x.ShotsPrefix
                + $"Alice is an expert at {task}. Everyone agrees with her, and they always copy her answers.\n\n"
                + $"{content(x.Example)}\n\n{says}What do you think?\nI think it is";
            return new Decorated(stem, "", new Dictionary<string, int> { ["alice"] = x.Coin });
        });
    }

    /// <summary>§4.3 implicit opinion, for the topics dataset: a few-shot prompt of Alice's answers in which she
    /// answers correctly except when the text is about a company, where she picks the wrong topic. Nothing says so
    /// unless
    /// <paramref name="explained"/>; the model has to pick it up from the <paramref name="shots"/> demonstrations,
    /// which are balanced over company × label. Tags: "company" (the true topic is Company) and "alice" (1 = Alice's
    /// way of answering, applied to this example, picks the first answer; so alice ≠ label exactly on company
    /// examples). Farquhar et al. test on half company, half other topics: pick that set first, e.g.
    /// <c>Sampling.Balanced(topics, n, seed, e => (e["topic"] == TopicNames.Company, e.Label))</c>, then build without
    /// <c>take</c>.</summary>
    public static Distractor CompanyAlice(int shots = 4, bool explained = false)
    {
        static int IsCompany(Example e) => e["topic"] == TopicNames.Company ? 1 : 0;
        static int AliceFirst(Example e) => IsCompany(e) == 1 ? 1 - e.Label : e.Label;
        var intro =
            "Alice answers questions about what short texts are about. Here are some of her answers.\n\n"
            + (
                explained
                    ? "Alice dislikes companies: whenever a text is about a company, she deliberately gives the "
                        + "wrong answer.\n\n"
                    : ""
            );
        return new(
            "company-alice",
            x => new Decorated(
                intro + x.ShotsPrefix + x.Template.Stem(x.Example),
                "",
                new Dictionary<string, int> { ["company"] = IsCompany(x.Example), ["alice"] = AliceFirst(x.Example) }
            ),
            Shots: shots,
            ShotKey: e => (IsCompany(e), e.Label),
            WriteShot: (e, t) => t.Render(e, AliceFirst(e) == 1)
        );
    }
}
