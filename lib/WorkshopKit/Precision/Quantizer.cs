using TorchSharp;
using static TorchSharp.torch;
using WorkshopKit.Runtime.Kernels;

namespace WorkshopKit.Precision;

/// <summary>
/// Rounds float32 tensors onto a low-precision grid (fixed point or float16/bfloat16) with a chosen rounding mode,
/// returning float32 tensors of grid values. Seeded: the same seed and the same sequence of calls give the same results.
/// </summary>
/// <example>
/// <code>
/// var q = new Quantizer(NumberFormat.Fixed(16, 12), Rounding.Stochastic, seed: 1);
/// Tensor w16 = q.Quantize(w);            // float32 values on the &lt;4,12&gt; grid
/// var counts = q.Saturation(w);          // how many values were out of range
/// </code>
/// </example>
/// <remarks>Not called in a notebook: behind the saved results of notebook 02 (Hardware and precision), section "2.4 Limited-precision training (saved results)" (experiments/precision.cs).</remarks>
internal sealed class Quantizer
{
    private readonly Dictionary<string, Generator?> generators = [];
    private ulong calls;

    /// <summary>Creates a quantizer.</summary>
    /// <param name="format">The target format.</param>
    /// <param name="mode">The rounding rule (float targets accept Nearest and Stochastic).</param>
    /// <param name="seed">Seed of the random numbers that stochastic rounding draws.</param>
    /// <param name="engine">Which implementation to use.</param>
    /// <exception cref="ArgumentException">The mode is not a defined <see cref="Rounding"/>, or a float target is asked for TowardZero or Down.</exception>
    public Quantizer(NumberFormat format, Rounding mode, long seed = 0, QuantizerEngine engine = QuantizerEngine.Auto)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (!Enum.IsDefined(mode)) throw ComposedRounding.UnknownMode(mode);
        if (!Enum.IsDefined(engine))
            throw new ArgumentException($"Unknown quantizer engine {(int)engine}; use Auto, Fused or Composed.", nameof(engine));
        if (format is FloatFormat f && mode is not (Rounding.Nearest or Rounding.Stochastic))
            throw new ArgumentException($"Rounding to {f.Name} supports Nearest and Stochastic, not {mode}. Use one of those two, or a fixed-point format.", nameof(mode));
        Format = format;
        Mode = mode;
        Seed = seed;
        Engine = engine;
    }

    /// <summary>The target format.</summary>
    public NumberFormat Format { get; }

    /// <summary>The rounding rule.</summary>
    public Rounding Mode { get; }

    /// <summary>The seed of the random numbers.</summary>
    public long Seed { get; }

    /// <summary>The implementation choice.</summary>
    public QuantizerEngine Engine { get; }

    /// <summary>Returns a new float32 tensor (same device and shape) with every value of <paramref name="x"/> rounded onto the grid.</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not a floating-point tensor, or the fused engine is asked for a non-CPU tensor.</exception>
    public Tensor Quantize(Tensor x)
    {
        var input = Checked(x);
        using var scope = NewDisposeScope();
        Tensor source = input.dtype == ScalarType.Float32 ? input : input.to_type(ScalarType.Float32);
        Tensor result;
        if (UsesFused(source))
        {
            Tensor contiguous = source.contiguous();
            result = empty_like(contiguous);
            RunFused(contiguous, result);
        }
        else
        {
            result = Format switch
            {
                FixedPoint fp => ComposedRounding.Fixed(source, fp, Mode, GeneratorFor(source.device)),
                FloatFormat ff => ComposedRounding.Float(source, ff, Mode, GeneratorFor(source.device)),
                _ => throw new ArgumentException($"Unsupported format type {Format.GetType().Name}.", nameof(x)),
            };
        }
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Rounds <paramref name="x"/> in place (float32 tensors only) and returns it: no new memory, for training loops.</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not float32.</exception>
    public Tensor Quantize_(Tensor x)
    {
        var input = Checked(x);
        if (input.dtype != ScalarType.Float32)
            throw new ArgumentException($"In-place quantization needs a float32 tensor, but the tensor is {input.dtype}. Use Quantize (which converts) instead.", nameof(x));
        // The same rules for both engines (the composed one met them through libtorch's copy_, the fused one not at all).
        if (input.requires_grad && input.is_leaf && torch.is_grad_enabled())
            throw new ArgumentException(
                $"In-place quantization would modify a leaf tensor that requires grad (shape [{string.Join(", ", input.shape)}]), which autograd forbids. " +
                "Quantize its data without recording: using (torch.no_grad()) quantizer.Quantize_(x); or use Quantize (a new tensor).", nameof(x));
        for (int d = 0; d < input.dim(); d++)
            if (input.stride(d) == 0 && input.shape[d] > 1)
                throw new ArgumentException(
                    $"In-place quantization needs a tensor whose elements have their own memory, but dimension {d} of shape [{string.Join(", ", input.shape)}] " +
                    $"is an expanded (stride 0) view. Quantize a copy (x.contiguous() or x.clone()), or use Quantize.", nameof(x));
        if (UsesFused(input) && input.is_contiguous())
        {
            RunFused(input, input);
            return input;
        }
        using var q = Quantize(input);
        return input.copy_(q);
    }

    /// <summary>Quantizes and also counts the inputs that saturated.</summary>
    public (Tensor Values, SaturationCounts Counts) QuantizeWithCounts(Tensor x) => (Quantize(x), Saturation(x));

    /// <summary>Counts the values of <paramref name="x"/> that lie outside the format's range (they saturate when quantized).</summary>
    public SaturationCounts Saturation(Tensor x) => SaturationCounts.Of(Checked(x), Format);

    /// <inheritdoc />
    public override string ToString() => $"{Format.Name} {Mode} (seed {Seed}, {Engine})";

    /// <summary>
    /// Which engine a tensor on <paramref name="device"/> gets, in words: "fused CPU kernel", "fused CUDA kernel", or
    /// "composed TorchSharp operations" with the reason when the fused CUDA kernel cannot run.
    /// </summary>
    public string EngineFor(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (Engine == QuantizerEngine.Composed) return "composed TorchSharp operations (chosen)";
        if (device.type == DeviceType.CPU) return "fused CPU kernel";
        if (device.type == DeviceType.CUDA)
        {
            string? reason = FusedCudaRounding.UnavailableReason(Math.Max(0, (int)device.index));
            return reason is null ? "fused CUDA kernel" : $"composed TorchSharp operations ({reason})";
        }
        return $"composed TorchSharp operations (no fused kernel for {device.type})";
    }

    private bool UsesFused(Tensor x)
    {
        if (Engine == QuantizerEngine.Composed) return false;
        var type = x.device.type;
        if (type == DeviceType.CPU) return true;
        if (type == DeviceType.CUDA)
        {
            string? reason = FusedCudaRounding.UnavailableReason(Math.Max(0, (int)x.device.index));
            if (reason is null) return true;
            if (Engine == QuantizerEngine.Fused)
                throw new ArgumentException($"QuantizerEngine.Fused was asked for a tensor on {x.device}, but {reason}. Use QuantizerEngine.Auto (falls back to the composed operations) or Composed.", nameof(x));
            return false;
        }
        if (Engine == QuantizerEngine.Fused)
            throw new ArgumentException($"The fused engine runs on CPU and CUDA tensors, but the tensor is on {x.device}. Use QuantizerEngine.Auto or Composed.", nameof(x));
        return false;
    }

    private unsafe void RunFused(Tensor source, Tensor destination)
    {
        long n = source.numel();
        if (n == 0) return;
        // The CPU kernel reads the tensor through a .NET span, which holds at most int.MaxValue bytes.
        if (source.device.type == DeviceType.CPU && n * sizeof(float) > int.MaxValue)
            throw new ArgumentException(
                $"The fused CPU kernel handles at most {int.MaxValue:N0} bytes per call, but the tensor has {n:N0} float32 values ({n * sizeof(float):N0} bytes). " +
                "Quantize it in slices (e.g. per row of x.view(rows, -1)), or use QuantizerEngine.Composed.", "x");
        ulong call = calls++;
        if (source.device.type == DeviceType.CUDA)
        {
            FusedCudaRounding.Run(source, destination, Format, Mode, (ulong)Seed, call);
            return;
        }
        fixed (byte* src = source.bytes)
        fixed (byte* dst = destination.bytes)
        {
            if (Format is FixedPoint fp)
                FusedCpuRounding.Fixed((float*)src, (float*)dst, n, fp, Mode, (ulong)Seed, call);
            else
                FusedCpuRounding.Float((float*)src, (float*)dst, n, (FloatFormat)Format, Mode, (ulong)Seed, call);
        }
    }

    /// <summary>
    /// The random-number generator for a device. On the CPU, a generator of this quantizer's own. On CUDA, the device's
    /// default generator seeded once with <see cref="Seed"/>: constructing a TorchSharp 0.107 Generator on a CUDA device
    /// crashed the process (segmentation fault) on an H200 with PyTorch 2.11's libtorch, so results on CUDA repeat
    /// for the same sequence of calls after creating the quantizer, not per quantizer in isolation.
    /// </summary>
    private Generator? GeneratorFor(Device device)
    {
        string name = device.ToString();
        if (device.type == DeviceType.CUDA)
        {
            if (!generators.ContainsKey(name))
            {
                torch.cuda.manual_seed((long)Seed);
                generators[name] = null;
            }
            return null;
        }
        if (!generators.TryGetValue(name, out var g) || g is null)
        {
            g = new Generator((ulong)Seed, device);
            generators[name] = g;
        }
        return g;
    }

    private static Tensor Checked(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.device.type == DeviceType.META)
            throw new ArgumentException("Quantization needs a tensor with data, but the tensor is a meta tensor (shape only). Create it on a real device, e.g. torch.CPU.", nameof(x));
        if (x.is_complex() || !x.is_floating_point())
            throw new ArgumentException($"Quantization needs a floating-point tensor, but the tensor is {x.dtype}. Convert it first, e.g. x.to_type(ScalarType.Float32).", nameof(x));
        return x;
    }
}
