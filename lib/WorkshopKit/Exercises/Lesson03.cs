using WorkshopKit.Geometry;
using static TorchSharp.torch;

namespace WorkshopKit.Exercises;

/// <summary>
/// Check cells of notebook 03 (strides and padding). Each expected answer is computed with
/// <see cref="ConvGeometry"/> from the numbers the exercise states, and the hints name the mistakes people make
/// with this arithmetic: swapped strides, rounding up, ceil versus floor, the extra zero on the wrong side.
/// </summary>
/// <remarks>First used in notebook 03 (Strides and padding), section "Exercise 3.1: strides in each direction".</remarks>
public static class Lesson03
{
    /// <summary>
    /// Exercise 3.1: output (height, width) of a 5x5 VALID convolution on a 28x28 input with vertical stride
    /// J = 2 and horizontal stride I = 3.
    /// </summary>
    public static ExerciseResult CheckStridedOutput((int Height, int Width) answer)
    {
        var g = ConvGeometry.Conv2d((28, 28), (5, 5), (2, 3), ConvPadding.Valid);
        (int Height, int Width) expected = (g.Height.Output, g.Width.Output);
        var same = ConvGeometry.Conv2d((28, 28), (5, 5), (2, 3), ConvPadding.SameTensorFlow);
        return Exercise.Check("3.1", answer, expected,
            "Rows move by the vertical stride J, columns by the horizontal stride I, and every window must fit inside the input.",
            "Count where a window can start along each direction: at 0, then every stride cells, as long as all 5 cells of the window stay inside the 28. " +
            "The height uses the vertical stride J = 2, the width the horizontal stride I = 3.",
            new((a) => a == (expected.Width, expected.Height),
                "Height and width are swapped: the vertical stride J = 2 moves the window down (it decides the number of rows), the horizontal stride I = 3 decides the columns."),
            new((a) => a == (0, 0), "Replace (0, 0) with (height, width) of the output."),
            new((a) => a == (24, 24), "That is the stride-1 answer (28 - 5 + 1). With a stride the window skips positions: only every J-th row and I-th column start a window."),
            new((a) => a == same.Output,
                "That is ceil(28 / stride), the SAME rule, which pads the input. VALID adds no zeros, so a window may only start where all 5 cells fit."),
            new((a) => a == (expected.Height - 1, expected.Width - 1),
                "Off by one: (28 - 5) / stride counts the steps between the first and the last window, add 1 for the first window itself."),
            new((a) => a == (expected.Height + 1, expected.Width + 1) || a == (expected.Height, expected.Width + 1) || a == (expected.Height + 1, expected.Width),
                "Close: you rounded (28 - 5) / stride up somewhere. A window that would stick out over the edge does not count, so round down."),
            new((a) => a.Height == a.Width, "Both sides come out equal, but the strides differ (J = 2 down, I = 3 across): compute each direction with its own stride."));
    }

    /// <summary>
    /// Exercise 3.2: TensorFlow's SAME padding for input 28, kernel 7, stride 2, as (output, zeros before, zeros after).
    /// </summary>
    public static ExerciseResult CheckSamePadding((int Output, int Before, int After) answer)
    {
        var g = ConvGeometry.Conv(28, 7, 2, ConvPadding.SameTensorFlow);
        (int Output, int Before, int After) expected = (g.Output, g.PadBefore, g.PadAfter);
        int valid = ConvGeometry.Conv(28, 7, 2, ConvPadding.Valid).Output;
        int total = g.PadBefore + g.PadAfter;
        return Exercise.Check("3.2", answer, expected,
            "The output is ceil(28 / 2), the windows need an odd number of zeros, and TensorFlow puts the extra one at the end.",
            "First the output: ceil(input / stride). Then the total padding: the last window starts at (output - 1) * stride and needs kernel cells, " +
            "so total = (output - 1) * stride + kernel - input. Split it with the smaller half before the input.",
            new((a) => a == (0, 0, 0), "Replace (0, 0, 0) with (output size, zeros before, zeros after)."),
            new((a) => a.Output == valid, "That output size is VALID's (no padding). SAME in TensorFlow gives ceil(input / stride) positions."),
            new((a) => a.Output == 28, "An output of 28 ignores the stride: SAME keeps the size only for stride 1. With stride 2 it is ceil(28 / 2)."),
            new((a) => a.Output == expected.Output && a.Before == expected.After && a.After == expected.Before,
                "The total is right but the extra zero is on the wrong side: TensorFlow puts the smaller half before the input and the extra zero after it."),
            new((a) => a.Output == expected.Output && a.Before == 3 && a.After == 3,
                "Three zeros per side (kernel // 2) is the stride-1 habit. With stride 2 the windows need fewer zeros: total = (output - 1) * stride + kernel - input."),
            new((a) => a.Output == expected.Output && a.Before + a.After != total,
                "The output size is right. Now the total padding: the last window starts at (output - 1) * stride and covers kernel cells; the zeros make up what the input lacks."),
            new((a) => a.Output != expected.Output, "Start with the output size: in TensorFlow's SAME it is ceil(input / stride), whatever the kernel."));
    }

    /// <summary>
    /// Exercise 3.3: the explicit (before, after) zeros that make a VALID conv2d in TorchSharp reproduce TensorFlow's
    /// SAME for input 28, kernel 5, stride 2 (PyTorch's "same" refuses stride 2, and its integer padding is symmetric).
    /// </summary>
    public static ExerciseResult CheckPortedPadding((int Before, int After) answer)
    {
        var g = ConvGeometry.Conv(28, 5, 2, ConvPadding.SameTensorFlow);
        (int Before, int After) expected = (g.PadBefore, g.PadAfter);
        int symmetric = g.PadAfter; // the symmetric padding people reach for: kernel // 2 on both sides
        int symmetricOutput = ConvGeometry.Conv(28, 5, 2, ConvPadding.Symmetric(symmetric)).Output;
        int unpadded = ConvGeometry.Conv(28, 5, 2, ConvPadding.Valid).Output;
        return Exercise.Check("3.3", answer, expected,
            "F.pad with these amounts, then conv2d without padding, computes exactly what TensorFlow's SAME computes.",
            "Compute TensorFlow's SAME padding for input 28, kernel 5, stride 2: output ceil(28 / 2), total zeros (output - 1) * stride + kernel - input, extra zero at the end.",
            new((a) => a == (0, 0),
                $"Without zeros only floor((28 - 5) / 2) + 1 = {unpadded} windows fit, {g.Output - unpadded} fewer than SAME's ceil(28 / 2) = {g.Output}. Pad with TensorFlow's amounts."),
            new((a) => a == (symmetric, symmetric),
                $"That is PyTorch's padding={symmetric}: it also gives {symmetricOutput} outputs, but with one zero too many, so every window sits one cell earlier than in TensorFlow and the values differ. " +
                "Count the total TensorFlow needs."),
            new((a) => a == (expected.After, expected.Before), "The right total on the wrong side: TensorFlow puts the extra zero after the input (bottom and right)."),
            new((a) => a.Before + a.After == expected.Before + expected.After, "The total is right; split it the way TensorFlow does, with the smaller half before the input."));
    }

    /// <summary>Exercise 3.4: effective size of a 3x3 kernel with dilation 3, and its VALID output size on a 28x28 input (stride 1).</summary>
    public static ExerciseResult CheckDilation((int Effective, int Output) answer)
    {
        var g = ConvGeometry.Conv(28, 3, 1, ConvPadding.Valid, dilation: 3);
        (int Effective, int Output) expected = (g.EffectiveKernel, g.Output);
        int undilated = ConvGeometry.Conv(28, 3).Output;
        return Exercise.Check("3.4", answer, expected,
            "Dilation spreads the 3 taps over d (k - 1) + 1 cells; the output shrinks by that span minus one.",
            "Draw one row of the kernel: tap, 2 skipped cells, tap, 2 skipped cells, tap. Its span is the effective size; VALID output = input - effective + 1.",
            new((a) => a == (0, 0), "Replace (0, 0) with (effective kernel size, output size)."),
            new((a) => a.Effective == 3 * 3,
                "d * k also counts skipped cells after the last tap. The gaps lie only between taps: k - 1 gaps of d - 1 cells, plus the k taps."),
            new((a) => a.Effective == 3 * (3 - 1), "d (k - 1) is the distance from the first tap to the last; add the last tap's own cell."),
            new((a) => a.Effective == 3, "Dilation leaves 3 taps per row but spreads them apart: the window covers more than 3 cells."),
            new((a) => a.Effective == expected.Effective && a.Output == undilated,
                "The effective size is right, but that output size is the undilated kernel's. Use the effective size in the output formula."),
            new((a) => a.Effective == expected.Effective && a.Output == expected.Output - 1, "Off by one: input - effective counts steps; add 1 for the first window."),
            new((a) => a.Effective == expected.Effective && a.Output == 28, "VALID adds no zeros, so the output is smaller than the input."));
    }

    /// <summary>
    /// Exercise 3.5: TensorFlow's SAME convolution (5x5 kernel, stride 2) of a real 28x28 tensor, ported with F.pad and a
    /// VALID conv2d. The expected output pads with <see cref="ConvGeometry"/>'s amounts; the hints recognise PyTorch's
    /// symmetric padding 2, no padding, and the extra zero on the wrong side by their values.
    /// </summary>
    /// <param name="answer">The attendee's output, shape (1, 1, 14, 14).</param>
    /// <param name="input">The input of the exercise, shape (1, 1, 28, 28).</param>
    /// <param name="weight">The 5x5 kernel, shape (1, 1, 5, 5).</param>
    public static ExerciseResult CheckSamePort(Tensor? answer, Tensor input, Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        using var scope = NewDisposeScope();
        var g = ConvGeometry.Conv2d(((int)input.shape[2], (int)input.shape[3]), (5, 5), stride: (2, 2), padding: ConvPadding.SameTensorFlow);
        var expected = nn.functional.conv2d(nn.functional.pad(input, g.PadArgument), weight, strides: new long[] { 2, 2 });
        const string Fallback = "TensorFlow's SAME for 28, kernel 5, stride 2 needs (output - 1) * 2 + 5 - 28 zeros per direction, the extra one at the end: " +
            "F.pad(x, [left, right, top, bottom]), then conv2d(..., strides: [2, 2]) without padding.";
        bool Matches(Tensor candidate) =>
            answer is not null && answer.shape.SequenceEqual(candidate.shape) &&
            answer.detach().cpu().to_type(ScalarType.Float64).allclose(candidate.cpu().to_type(ScalarType.Float64), 1e-4, 1e-5);
        if (answer is not null)
        {
            var symmetric = nn.functional.conv2d(input, weight, strides: new long[] { 2, 2 }, padding: new long[] { 2, 2 });
            if (Matches(symmetric))
                return Exercise.CheckTensor("3.5", answer, expected, "", "That is PyTorch's symmetric padding=2, or two zeros before and one after (at stride 2 both give the same numbers): the right shape, but one zero too many at the top and left, so every window sits one cell earlier than in TensorFlow. TensorFlow puts the extra zero after the input.");
            var swapped = nn.functional.conv2d(nn.functional.pad(input, new long[] { g.Width.PadAfter, g.Width.PadBefore, g.Height.PadAfter, g.Height.PadBefore }), weight, strides: new long[] { 2, 2 });
            if (Matches(swapped))
                return Exercise.CheckTensor("3.5", answer, expected, "", "The extra zero is on the wrong side: TensorFlow puts it after the input (right and bottom); F.pad's order is left, right, top, bottom.");
            if (answer.dim() == 4 && answer.shape[2] == ConvGeometry.Conv(28, 5, 2, ConvPadding.Valid).Output)
                return Exercise.CheckTensor("3.5", answer, expected, "", $"That is the VALID convolution: without zeros only {answer.shape[2]} windows fit per direction. Pad first.");
        }
        return Exercise.CheckTensor("3.5", answer, expected,
            "F.pad with TensorFlow's amounts and a VALID conv2d computes exactly what TensorFlow's SAME computes, value for value.",
            Fallback);
    }
}
