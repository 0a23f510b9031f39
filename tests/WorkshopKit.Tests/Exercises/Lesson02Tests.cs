using WorkshopKit.Exercises;

namespace WorkshopKit.Tests.Exercises;

public class Lesson02Tests
{
    private static void Hinted(ExerciseResult result, string fragment)
    {
        Assert.False(result.Passed);
        Assert.StartsWith(ExerciseResult.NotYetWord, result.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exercise21_EpsilonOf4_12()
    {
        // Gupta et al.'s <IL,FL>: spacing 2^-FL = 1/4096, written here as the decimal the paper's definition gives.
        Assert.True(Lesson02.CheckEpsilon(0.000244140625).Passed);
        Hinted(Lesson02.CheckEpsilon(0), "Replace 0");
        Hinted(Lesson02.CheckEpsilon(1.0 / 65536), "uses all 16 bits");
        Hinted(Lesson02.CheckEpsilon(1.0 / 16), "integer bits IL = 4");
        Hinted(Lesson02.CheckEpsilon(1.0 / 12), "divides by FL");
        Hinted(Lesson02.CheckEpsilon(1.0 / 2048), "Off by one power of two");
        Hinted(Lesson02.CheckEpsilon(4096), "inverse");
        Hinted(Lesson02.CheckEpsilon(0.3), "Math.Pow(2, -FL)");
        Assert.False(Lesson02.CheckEpsilon(double.NaN).Passed);
    }

    [Fact]
    public void Exercise22_LargestValueOf4_12()
    {
        // Two's complement 16-bit word 0x7FFF with the binary point 12 bits from the right: 32767 / 4096.
        Assert.True(Lesson02.CheckLargest(32767.0 / 4096).Passed);
        Hinted(Lesson02.CheckLargest(0), "Replace 0");
        Hinted(Lesson02.CheckLargest(8), "8 itself is not on the grid");
        Hinted(Lesson02.CheckLargest(16), "one of them is the sign");
        Hinted(Lesson02.CheckLargest(7), "fraction bits can all be 1");
        Hinted(Lesson02.CheckLargest(8 - 1.0 / 65536), "not 2^-16");
        Hinted(Lesson02.CheckLargest(32767), "divide by 2^12");
        Hinted(Lesson02.CheckLargest(3.5), "Two's complement");
    }

    [Fact]
    public void Exercise23_ProbabilityThatStochasticRoundingSends0_3Up()
    {
        // (0.3 - 0.25) / 0.25 = 0.2 by the definition of stochastic rounding (P(up) = distance to the floor / eps).
        Assert.True(Lesson02.CheckProbabilityUp(0.2).Passed);
        Hinted(Lesson02.CheckProbabilityUp(0), "round to nearest");
        Hinted(Lesson02.CheckProbabilityUp(0.8), "probability of going down");
        Hinted(Lesson02.CheckProbabilityUp(0.05), "divide by the spacing");
        Hinted(Lesson02.CheckProbabilityUp(0.5), "fair coin");
        Hinted(Lesson02.CheckProbabilityUp(0.3), "not the probability");
        Hinted(Lesson02.CheckProbabilityUp(1.5), "between 0 and 1");
    }

    [Fact]
    public void Exercise24_Float16SumOf5e5StopsWhereAHalfBinaryHalfLoopStops()
    {
        // Independent reference: System.Half (IEEE binary16, round to nearest even) accumulating float32 sums.
        var sum = (Half)0;
        for (int i = 0; i < 10_000; i++) sum = (Half)((float)sum + Lesson02.StagnationIncrement);
        double stuck = (double)sum;
        Assert.Equal(0.125, stuck);
        Assert.True(Lesson02.CheckStagnationValue(stuck).Passed);
        Hinted(Lesson02.CheckStagnationValue(0), "Replace 0");
        Hinted(Lesson02.CheckStagnationValue(0.5), "exact sum");
        Hinted(Lesson02.CheckStagnationValue(0.25), "1e-4 got stuck");
        Hinted(Lesson02.CheckStagnationValue(0.0625), "still round up");
        Hinted(Lesson02.CheckStagnationValue(0.1), "2^(e-10)");
    }
}
