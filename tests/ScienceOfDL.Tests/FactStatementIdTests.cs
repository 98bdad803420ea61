using ScienceOfDL.Ccs.Data;
using ScienceOfDL.Ccs.Experiments;

namespace ScienceOfDL.Tests;

/// <summary>01 tells number comparisons from city facts by asking the library, not by parsing ids.</summary>
public class FactStatementIdTests
{
    [Fact]
    public void Generated_number_comparisons_are_told_apart_from_city_facts_by_their_id()
    {
        var numbers = FactStatements.NumberComparisons(4, seed: 1);
        Assert.All(numbers, e => Assert.True(FactStatements.IsNumberComparison(e.Id)));
        Assert.False(FactStatements.IsNumberComparison("city-0001"));
    }
}
