using System.Runtime.InteropServices;
using WorkshopKit.Blocks;
using WorkshopKit.Geometry;
using static TorchSharp.torch;

namespace WorkshopKit.Exercises;

/// <summary>
/// Check cells of notebook 04 (pooling and upsampling). Each expected answer is computed with the library
/// (ConvGeometry, Checkerboard), so the notebook never contains it.
/// </summary>
/// <remarks>First used in notebook 04 (Pooling and upsampling), section "Exercise 4.1: pooling in ceil mode".</remarks>
public static class Lesson04
{
    /// <summary>Exercise 4.1 asks for the output side of 3x3 max pooling with stride 2 on this input side, in ceil mode.</summary>
    public const int PoolInput = 28;

    /// <summary>Exercise 4.3's transposed convolution: input side, kernel, stride, padding and output padding.</summary>
    public static (int Input, int Kernel, int Stride, int Padding, int OutputPadding) TransposedSetting { get; } = (7, 3, 2, 1, 1);

    /// <summary>Exercise 4.1: output side of MaxPool2d(3, stride 2, ceil_mode true) on a 28x28 map.</summary>
    public static ExerciseResult CheckCeilModePoolSize(long answer)
    {
        int floor = ConvGeometry.Pool(PoolInput, 3, 2).Output;
        int ceil = ConvGeometry.Pool(PoolInput, 3, 2, ceilMode: true).Output;
        return Exercise.Check("4.1", answer, ceil,
            $"(28 - 3) / 2 = 12.5 rounds UP to 13 in ceil mode, plus the first window: {ceil}. Floor mode would give {floor}: the last window, which covers only {PoolInput - (ceil - 1) * 2} of its 3 cells (the rest hangs over the edge), is dropped.",
            "Use output = round((input - kernel) / stride) + 1, where ceil mode rounds the division up instead of down.",
            new Hint<long>(a => a == 0, "Replace the 0 with the output side: count the window positions of a 3-wide window moving 2 pixels at a time along 28 pixels."),
            new Hint<long>(a => a == floor, $"{floor} is floor mode: (28 - 3) / 2 = 12.5 rounded down, plus 1. Ceil mode rounds the division up, which keeps a last window that hangs over the edge."),
            new Hint<long>(a => a == ceil - 1 || a == floor - 1, "Close: did you forget the + 1 for the first window position? The division counts the steps between windows, not the windows."),
            new Hint<long>(a => a is 9 or 10, "That divides by the kernel size. The window moves by the stride (2), not by its width (3)."),
            new Hint<long>(a => a >= PoolInput, "Pooling with stride 2 shrinks the map to about half its side."));
    }

    /// <summary>
    /// Exercise 4.2: a kernel size for which a stride-3 transposed convolution overlaps evenly (no checkerboard in an
    /// untrained layer). Stride 3, not the notebook's stride 2, whose even kernel the notebook shows.
    /// </summary>
    public static ExerciseResult CheckEvenOverlapKernel(long kernel)
    {
        const long stride = 3;
        if (kernel >= 1 && kernel <= 64 && Checkerboard.HasEvenOverlap(kernel, stride))
            return Exercise.Check("4.2", kernel, kernel,
                $"With kernel {kernel} and stride 3, every interior output pixel receives the same number of taps ({kernel / stride * (kernel / stride)}), because 3 divides {kernel}. " +
                "That removes the checkerboard of an untrained layer; training can still bring it back, which is why resize-then-convolve is the safer choice.",
                "");
        return Exercise.Check("4.2", kernel, long.MinValue, "",
            "Print Checkerboard.ToText(Checkerboard.TransposedConvOverlap(12, k, 3)) for a few kernel sizes k and look for one whose middle is a single repeated number.",
            new Hint<long>(k => k == 0, "Replace the 0 with a kernel size (2 to 9) for which the stride-3 overlap is the same everywhere in the middle."),
            new Hint<long>(k => k < 0 || k > 64, "A kernel size is a small positive number; try the sizes 2 to 9."),
            new Hint<long>(k => k is 1 or 2, $"A {kernel}x{kernel} kernel with stride 3 is narrower than the step: some output pixels get no tap at all, an extreme checkerboard."),
            new Hint<long>(k => k % stride != 0, $"Kernel {kernel} with stride 3 overlaps unevenly: along each axis, output pixels get {(kernel + stride - 1) / stride} or {kernel / stride} taps. Which kernel sizes split evenly into steps of 3?"));
    }

    /// <summary>Exercise 4.3: output side of ConvTranspose2d(kernel 3, stride 2, padding 1, output_padding 1) on a 7x7 map.</summary>
    public static ExerciseResult CheckTransposedOutputSize(long answer)
    {
        var (n, k, s, p, op) = TransposedSetting;
        int expected = ConvGeometry.ConvTranspose(n, k, s, p, outputPadding: op).Output;
        int withoutOutputPadding = ConvGeometry.ConvTranspose(n, k, s, p).Output;
        int withoutPadding = ConvGeometry.ConvTranspose(n, k, s, 0, outputPadding: op).Output;
        return Exercise.Check("4.3", answer, expected,
            $"(7 - 1)·2 - 2·1 + 3 + 1 = {expected}: the 7x7 map is doubled, exactly what a decoder needs to undo a stride-2 SAME convolution of a 14x14 map.",
            "Use output = (input - 1)·stride - 2·padding + kernel + output_padding (the convolution formula solved for the input).",
            new Hint<long>(a => a == 0, "Replace the 0 with the output side: (input - 1)·stride - 2·padding + kernel + output_padding."),
            new Hint<long>(a => a == withoutOutputPadding, $"{withoutOutputPadding} leaves out the output padding: it adds {op} row and column at the end (bottom and right)."),
            new Hint<long>(a => a == withoutPadding, $"{withoutPadding} leaves out the padding: in a transposed convolution, padding p CROPS p rows from each side, so subtract 2·padding."),
            new Hint<long>(a => a == withoutPadding - p, "Subtract 2·padding (padding crops both sides) and add the output padding; one of the two is missing or counted once."),
            new Hint<long>(a => a is 3 or 4, "That is the forward convolution's formula, which shrinks the map. A transposed convolution runs it backwards and enlarges."));
    }

    /// <summary>Exercise 4.4: an <c>nn.ConvTranspose2d</c> with a 4x4 kernel that maps 1x4x7x7 to 1x8x14x14, checked by running it.</summary>
    public static ExerciseResult CheckDecoderLayer(nn.Module<Tensor, Tensor>? layer)
    {
        const string Name = "4.4";
        long[] target = [1, 8, 14, 14];
        if (layer is null) return Exercise.Check(Name, false, true, "", "Replace null with a layer, e.g. nn.ConvTranspose2d(in, out, kernel, stride: ..., padding: ...).");
        if (layer is not TorchSharp.Modules.ConvTranspose2d conv)
            return Exercise.Check(Name, false, true, "", $"The exercise asks for an nn.ConvTranspose2d, but this is a {layer.GetType().Name}.");
        long[] shape;
        try
        {
            using var scope = NewDisposeScope();
            shape = conv.call(zeros(1, 4, 7, 7)).shape;
        }
        catch (Exception e) when (e is ArgumentException or ExternalException or InvalidOperationException)
        {
            return Exercise.Check(Name, false, true, "", $"The layer does not run on a 1x4x7x7 input ({e.Message.Split('\n')[0]}); it must expect 4 input channels.");
        }
        var kernel = conv.weight!.shape;
        string got = $"{string.Join("x", shape)} with a {kernel[2]}x{kernel[3]} kernel";
        int noPadding = ConvGeometry.ConvTranspose(7, 4, 2).Output;
        return Exercise.Check(Name, got, $"{string.Join("x", target)} with a 4x4 kernel",
            "Stride 2 doubles, padding 1 crops one row and column on each side: (7 - 1) * 2 - 2 * 1 + 4 = 14.",
            $"Your layer gives {got}. Output side = (input - 1) * stride - 2 * padding + kernel (+ output_padding); solve it for 14 with kernel 4.",
            new Hint<string>(_ => kernel[0] != 4, $"The layer reads {kernel[0]} channels; the input has 4."),
            new Hint<string>(_ => kernel[1] != 8, $"The layer writes {kernel[1]} channels; the target has 8."),
            new Hint<string>(_ => kernel[2] != 4 || kernel[3] != 4, $"The kernel is {kernel[2]}x{kernel[3]}; the exercise asks for 4x4, a size the stride 2 divides."),
            new Hint<string>(_ => shape.Length == 4 && shape[2] == noPadding, $"{noPadding} = (7 - 1) * 2 + 4 has no padding: in a transposed convolution padding crops, 2 * padding from each side."),
            new Hint<string>(_ => shape.Length == 4 && shape[2] < 14, "Too small: use stride 2 (the output grows by the stride per input pixel) and less padding."));
    }
}
