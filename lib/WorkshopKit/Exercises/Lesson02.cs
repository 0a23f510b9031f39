using WorkshopKit.Precision;
using static TorchSharp.torch;

namespace WorkshopKit.Exercises;

/// <summary>
/// Check cells of notebook 02 (hardware and precision). The expected answers come from
/// <see cref="FixedPoint"/>, <see cref="Quantizer"/>'s rule and <see cref="StagnationDemo"/>; the hints name the slips
/// people make with fixed point: using WL or IL where FL belongs, forgetting the sign bit, confusing up with down.
/// </summary>
/// <remarks>First used in notebook 02 (Hardware and precision), section "Exercise 2.1: the spacing of `&lt;4,12&gt;`".</remarks>
public static class Lesson02
{
    private static readonly FixedPoint Format412 = NumberFormat.Fixed(16, 12);

    /// <summary>The increment of exercise 2.4 (the notebook's demonstration uses 1e-4; the exercise transfers it to a smaller one).</summary>
    public const float StagnationIncrement = 5e-5f;

    // Exercise 2.4's answer: where a float16 accumulator stops when 5e-5 is added 10,000 times with round to nearest.
    private static readonly Lazy<double> Float16Stuck = new(() =>
        StagnationDemo.Run(FloatFormat.Float16, Rounding.Nearest, steps: 10_000, increment: StagnationIncrement, accumulators: 1, record: 10_000).FinalMean);

    /// <summary>Exercise 2.1: the grid spacing eps of the fixed-point format &lt;4,12&gt;.</summary>
    public static ExerciseResult CheckEpsilon(double answer)
    {
        double eps = Format412.Epsilon;
        return Exercise.CheckClose("2.1", answer, eps, eps * 1e-6,
            "Twelve fraction bits: neighbouring values are 2^-12 apart, whatever the integer bits are.",
            "The spacing depends only on the number of bits after the binary point, FL. Write it as a power of two: Math.Pow(2, -FL).",
            new(a => a == 0, "Replace 0 with the spacing between neighbouring values, e.g. Math.Pow(2, -something)."),
            new(a => Near(a, Math.Pow(2, -16)), "2^-16 uses all 16 bits (WL). Only the FL = 12 bits after the binary point set the spacing; the other 4 hold the sign and the integer part."),
            new(a => Near(a, Math.Pow(2, -4)), "2^-4 uses the integer bits IL = 4. The spacing comes from the fraction bits FL = 12."),
            new(a => Near(a, 1.0 / 12), "1/12 divides by FL; each fraction bit halves the step, so it is 2^-FL, not 1/FL."),
            new(a => Near(a, Math.Pow(2, -11)) || Near(a, Math.Pow(2, -13)), "Off by one power of two: with FL bits after the point, the last bit is worth exactly 2^-FL."),
            new(a => Near(a, Math.Pow(2, 12)), "That is 2^12, the number of steps per unit; the spacing is its inverse."));
    }

    /// <summary>Exercise 2.2: the largest value &lt;4,12&gt; can hold.</summary>
    public static ExerciseResult CheckLargest(double answer)
    {
        double largest = Format412.Max;
        double eps = Format412.Epsilon;
        return Exercise.CheckClose("2.2", answer, largest, eps / 100,
            "One of the four integer bits is the sign, so the range is [-8, 8) and the top value is one step below 8.",
            "Two's complement with IL integer bits covers [-2^(IL-1), 2^(IL-1)), and the largest value sits one grid step eps below the upper end.",
            new(a => a == 0, "Replace 0 with the largest value, e.g. Math.Pow(2, IL - 1) - eps."),
            new(a => Near(a, 8), "Almost: 8 itself is not on the grid. The top value is one step eps = 2^-12 below it."),
            new(a => Near(a, 16) || Near(a, 16 - eps), "16 treats all four integer bits as magnitude; in two's complement one of them is the sign, which halves the range."),
            new(a => Near(a, 15) || Near(a, 7), "That is an integer: the 12 fraction bits can all be 1 as well, which brings the top value to just below the next power of two."),
            new(a => Near(a, 8 - Math.Pow(2, -16)), "The step below 8 is eps = 2^-FL with FL = 12, not 2^-16."),
            new(a => Near(a, Math.Pow(2, 15) - 1) || Near(a, Math.Pow(2, 16) - 1), "That is the largest integer word; the binary point sits 12 bits from the right, so divide by 2^12."));
    }

    /// <summary>Exercise 2.3: the probability that stochastic rounding sends 0.3 up on a grid of spacing 0.25.</summary>
    public static ExerciseResult CheckProbabilityUp(double answer)
    {
        const double x = 0.3;
        var grid = NumberFormat.Fixed(8, 2); // eps = 0.25
        double lower = Math.Floor(x / grid.Epsilon) * grid.Epsilon;
        double p = (x - lower) / grid.Epsilon;
        return Exercise.CheckClose("2.3", answer, p, 1e-6,
            "0.3 is a fifth of the way from 0.25 to 0.5, so it goes up one time in five: on average 0.8 x 0.25 + 0.2 x 0.5 = 0.3.",
            "Find the two neighbours of 0.3 on the grid 0, 0.25, 0.5, ... The chance of going up is the distance to the lower neighbour divided by the spacing.",
            new(a => a == 0, "0 is what round to nearest does (0.3 always becomes 0.25). Stochastic rounding goes up with a probability that grows the closer x is to the upper neighbour."),
            new(a => Near(a, 1 - p), "That is the probability of going down. Going up becomes more likely the closer 0.3 is to the upper neighbour 0.5, and it is quite far from it."),
            new(a => Near(a, x - lower), "That is the distance to the lower neighbour in value units; divide by the spacing 0.25 to turn it into a probability."),
            new(a => Near(a, 0.5), "A fair coin would be biased: the average of the draws must equal 0.3, which needs unequal chances."),
            new(a => Near(a, x), "0.3 is the value, not the probability. Where does it sit between 0.25 and 0.5?"),
            new(a => a < 0 || a > 1, "A probability lies between 0 and 1."));
    }

    /// <summary>Exercise 2.4: the value at which a float16 accumulator gets stuck when 5e-5 is added 10,000 times with round to nearest.</summary>
    public static ExerciseResult CheckStagnationValue(double answer)
    {
        double stuck = Float16Stuck.Value;
        double exact = 10_000 * (double)StagnationIncrement;
        return Exercise.CheckClose("2.4", answer, stuck, 1e-4,
            "From 0.125 on, float16's spacing is 2^-13 ≈ 1.2e-4; half of it (6.1e-5) exceeds 5e-5, so every addition rounds back down.",
            "Between 2^e and 2^(e+1) float16 values are 2^(e-10) apart. Round to nearest drops an addition when it is less than half that spacing: find the first power of two where half the spacing exceeds 5e-5.",
            new(a => a == 0, "Replace 0 with the value where the sum stops. Near 0 float16 is very fine, so the first additions do count."),
            new(a => Near(a, exact), "That is the exact sum (10,000 x 5e-5). With round to nearest the sum stops growing long before: look at the spacing of float16 as the sum grows."),
            new(a => Near(a, 0.25), "0.25 is where the demonstration's 1e-4 got stuck. A smaller increment is lost earlier, where the spacing is smaller."),
            new(a => Near(a, 0.0625), "At 0.0625 the spacing is 2^-14 ≈ 6.1e-5; half of it (3.1e-5) is below 5e-5, so additions still round up and the sum keeps growing."),
            new(a => a > exact, "The sum cannot exceed the exact sum here: from 0.125 on every addition is lost."));
    }

    /// <summary>
    /// Exercise 2.5: a convolution (stride 1, no padding) computed through <c>unfold</c> and one matrix product, compared
    /// with <c>conv2d</c> of the same input and weights. The likely slips each get their own hint: the columns not folded
    /// back into a map, the batch dimension dropped, the weights flattened in another order than unfold's rows.
    /// </summary>
    /// <param name="answer">The attendee's output, shape (1, out channels, output height, output width).</param>
    /// <param name="input">The input of the exercise, shape (1, in channels, height, width).</param>
    /// <param name="weight">The weights, shape (out channels, in channels, k, k).</param>
    public static ExerciseResult CheckUnfoldConvolution(Tensor? answer, Tensor input, Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        using var scope = NewDisposeScope();
        var expected = nn.functional.conv2d(input, weight);
        long outChannels = expected.shape[1], positions = expected.shape[2] * expected.shape[3];
        const string Fallback = "Columns: unfold(x, k) has shape (1, in channels * k * k, positions); the weights as a matrix: weight.reshape(out channels, -1); " +
            "their product weight matrix x columns has shape (1, out channels, positions); reshape it to (1, out channels, output height, output width).";
        if (answer is not null)
        {
            if (answer.shape.SequenceEqual(new[] { 1, outChannels, positions }))
                return Exercise.CheckTensor("2.5", answer, expected, "", "The numbers may be right, but they are still one row per channel: reshape the (1, out, positions) product to (1, out, output height, output width).");
            if (answer.shape.SequenceEqual(expected.shape.Skip(1)))
                return Exercise.CheckTensor("2.5", answer, expected, "", "The batch dimension is missing: conv2d returns (batch, channels, height, width); keep the leading 1 (e.g. reshape(1, out, h, w)).");
            if (answer.shape.SequenceEqual(expected.shape) && answer.is_floating_point())
            {
                // Flattening the weights as (k, k, in) instead of (in, k, k) pairs each weight with the wrong unfolded row.
                var wrongOrder = weight.permute(0, 2, 3, 1).reshape(outChannels, -1).matmul(nn.functional.unfold(input, weight.shape[2]))
                    .reshape(expected.shape);
                if (answer.detach().cpu().to_type(ScalarType.Float64).allclose(wrongOrder.cpu().to_type(ScalarType.Float64), 1e-4, 1e-5))
                    return Exercise.CheckTensor("2.5", answer, expected, "", "The weights are flattened in another order than unfold's rows: unfold lists a column as (in channel, kernel row, kernel column), which is exactly weight.reshape(out, -1); no permute is needed.");
            }
        }
        return Exercise.CheckTensor("2.5", answer, expected,
            "One matrix product reproduced conv2d: the unfolded columns are im2col's matrix, and the weight matrix has one row per output channel.",
            Fallback);
    }

    private static bool Near(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(b));
}
