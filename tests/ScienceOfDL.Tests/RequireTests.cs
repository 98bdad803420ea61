using ScienceOfDL.Notebooks;

namespace ScienceOfDL.Tests;

/// <summary>The validation cell's checks: each names the parameter (from the call), its value and what is allowed,
/// and lets every allowed value through, boundaries included. The cases are issue 32's (weight decay -1, steps -5, an
/// interval of 0, time scales -2, 0 networks, 0 semi-grokking time scales) on the names notebooks 04 and 05
/// use.</summary>
public class RequireTests
{
    static string Refused(Action check) => Assert.Throws<ParameterException>(check).Message;

    [Fact]
    public void Issue_32s_values_are_refused_naming_the_parameter_the_value_and_the_range()
    {
        int steps = -5,
            evalEvery = 0,
            networks = 0;
        double timeScales = -2,
            semiScales = 0;
        double[] weightDecays = [-1];
        Assert.Equal(
            "Parameter steps = -5 is not allowed: it must be at least 1.",
            Refused(() => Require.AtLeast(steps, 1))
        );
        Assert.Equal(
            "Parameter evalEvery = 0 is not allowed: it must be at least 1.",
            Refused(() => Require.AtLeast(evalEvery, 1))
        );
        Assert.Equal(
            "Parameter networks = 0 is not allowed: it must be at least 1.",
            Refused(() => Require.AtLeast(networks, 1))
        );
        Assert.Equal(
            "Parameter timeScales = -2 is not allowed: it must be above 0.",
            Refused(() => Require.Above(timeScales, 0))
        );
        Assert.Equal(
            "Parameter semiScales = 0 is not allowed: it must be above 0.",
            Refused(() => Require.Above(semiScales, 0))
        );
        Assert.Equal(
            "Parameter weightDecays = [-1] is not allowed: every element must be above 0 " + "(weightDecays[0] = -1).",
            Refused(() => Require.Above(weightDecays, 0))
        );
        var e = Assert.Throws<ParameterException>(() => Require.Above(weightDecays, 0));
        Assert.Equal(("weightDecays", "[-1]"), (e.Parameter, e.Value));
        Assert.IsAssignableFrom<ArgumentException>(e);
    }

    [Fact]
    public void Allowed_values_pass_boundaries_included_and_excluded_as_named()
    {
        int steps = 1;
        double lr = 1e-3,
            fraction = 0.4,
            zero = 0;
        int? examples = null,
            some = 20;
        Require.AtLeast(steps, 1);
        Require.AtMost(steps, 1);
        Require.Between(steps, 1, 1);
        Require.AtLeast(zero, 0);
        Require.Above(lr, 0);
        Require.StrictlyBetween(fraction, 0, 1);
        Require.AtLeast(examples, 10); // null: "all"
        Require.AtLeast(some, 20);
        Require.AtLeast([1, 2], 1);
        Require.Above([1.0, 0.5], 0);
        Require.Between([1, 6], 1, 6);
        Require.AtLeast(new int[0], 1, allowEmpty: true);
        Assert.Contains("it must be above 0", Refused(() => Require.Above(zero, 0))); // Above excludes its bound
        Assert.Contains("it must be above 0 and below 1", Refused(() => Require.StrictlyBetween(zero, 0, 1)));
        Assert.Contains(
            "Parameter some = 20 is not allowed: it must be null or at least 21",
            Refused(() => Require.AtLeast(some, 21))
        );
    }

    [Fact]
    public void Not_a_number_never_passes_a_range()
    {
        var lr = double.NaN;
        Assert.Contains("Parameter lr = NaN", Refused(() => Require.Above(lr, 0)));
        Assert.Contains("lr = NaN", Refused(() => Require.AtLeast(lr, 0)));
        Assert.Contains("lr = NaN", Refused(() => Require.Between(lr, 0, 1)));
        Assert.Contains("every element", Refused(() => Require.Above([1.0, double.NaN], 0)));
    }

    [Fact]
    public void Arrays_must_not_be_empty_unless_allowed_and_every_element_is_checked_and_different()
    {
        double[] weightDecays = [];
        int[] sizes = [60, 0, 400];
        Assert.Equal(
            "Parameter weightDecays = [] is not allowed: it needs at least one element.",
            Refused(() => Require.Above(weightDecays, 0))
        );
        Assert.Equal(
            "Parameter sizes = [60, 0, 400] is not allowed: every element must be at least 1 (sizes[1] = 0).",
            Refused(() => Require.AtLeast(sizes, 1))
        );
        Assert.Contains(
            "every element must be from 1 to 6 (layers[1] = 7)",
            Refused(() =>
            {
                int[] layers = [4, 7];
                Require.Between(layers, 1, 6);
            })
        );
        Assert.Equal(
            "Parameter seeds = [0, 1, 0] is not allowed: every element must be different (seeds[0] and "
                + "seeds[2] are both 0).",
            Refused(() =>
            {
                int[] seeds = [0, 1, 0];
                Require.Distinct(seeds);
            })
        );
        Require.Distinct(new[] { 1.0, 2.0 });
        // Every array check refuses a repeat too: weightDecays=1,1 would run and show the same sweep twice.
        Assert.Contains(
            "every element must be different (weightDecays[0] and weightDecays[1] are both 1)",
            Refused(() =>
            {
                double[] weightDecays = [1, 1];
                Require.Above(weightDecays, 0);
            })
        );
        Assert.Contains(
            "tokens[0] and tokens[1] are both \"Last\"",
            Refused(() =>
            {
                string[] tokens = ["Last", "Last"];
                Require.OneOf<Token>(tokens);
            })
        );
    }

    [Fact]
    public void A_bound_that_is_another_parameter_is_named_with_its_value()
    {
        int minSize = 500,
            maxSize = 400;
        Assert.Equal(
            "Parameter minSize = 500 is not allowed: it must be at most maxSize = 400.",
            Refused(() => Require.AtMost(minSize, maxSize))
        );
        double timeScales = 5,
            maxTimeScales = 4.5,
            learningRate = 3e-3,
            tiny = 0.01;
        Assert.Equal(
            "Parameter maxTimeScales = 4.5 is not allowed: it must be at least timeScales = 5.",
            Refused(() => Require.AtLeast(maxTimeScales, timeScales))
        );
        Assert.Equal(
            "Parameter tiny = 0.01 is not allowed: it must be at least 10 * learningRate = 0.03.",
            Refused(() => Require.AtLeast(tiny, 10 * learningRate))
        );
    }

    enum Token
    {
        Last,
        First,
    }

    [Fact]
    public void Names_are_checked_against_a_list_an_enum_or_another_parameter()
    {
        string token = "Middle",
            dataset = "topic";
        string[] studyTokens = ["Last"],
            tokens = ["Last", "last"];
        Assert.Equal(
            "Parameter token = \"Middle\" is not allowed: it must be one of Token (\"Last\", \"First\").",
            Refused(() => Require.OneOf<Token>(token))
        );
        Assert.Equal(
            "Parameter dataset = \"topic\" is not allowed: it must be one of \"topics\", \"facts\".",
            Refused(() => Require.OneOf(dataset, new[] { "topics", "facts" }))
        );
        Assert.Equal(
            "Parameter token = \"Middle\" is not allowed: it must be one of studyTokens (\"Last\").",
            Refused(() => Require.OneOf(token, studyTokens))
        );
        Assert.Contains(
            "every element must be one of Token (\"Last\", \"First\") (tokens[1] = \"last\")",
            Refused(() => Require.OneOf<Token>(tokens))
        );
        Require.OneOf<Token>("First");
        Require.OneOf<Token>(new string[0], allowEmpty: true);
        int focusLayer = 5;
        int[] layers = [4, 6];
        Assert.Equal(
            "Parameter focusLayer = 5 is not allowed: it must be one of layers (4, 6).",
            Refused(() => Require.OneOf(focusLayer, layers))
        );
        Require.OneOf(6, layers);
    }

    [Fact]
    public void A_folder_must_exist_or_be_empty_where_empty_means_the_default()
    {
        var modelFolder = Path.Combine(Path.GetTempPath(), "sodl-no-such-folder");
        Assert.Equal(
            $"Parameter modelFolder = \"{modelFolder}\" is not allowed: it must be \"\" or an existing " + "folder.",
            Refused(() => Require.Folder(modelFolder, allowEmpty: true))
        );
        Require.Folder(Path.GetTempPath());
        Require.Folder("", allowEmpty: true);
        Assert.Contains("it must be an existing folder", Refused(() => Require.Folder("")));
    }

    [Fact]
    public void Any_other_rule_is_stated_in_words()
    {
        var pairs = 999;
        Assert.Equal(
            "Parameter pairs = 999 is not allowed: it must be an even number.",
            Refused(() => Require.That(pairs, pairs % 2 == 0, "an even number"))
        );
        Require.That(pairs + 1, (pairs + 1) % 2 == 0, "an even number");
    }
}
