using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace WorkshopKit.Runtime;

/// <summary>
/// Argument rules that several layers need, written once: defined enum values, finite numbers, sizes counted in 64 bits
/// with checked conversions, and the tensor properties (dtype, device, layout) that libtorch otherwise answers with a
/// native abort or a silent wrong result. Every message names the rule, the value and a fix.
/// </summary>
/// <remarks>Runtime plumbing: not taught; readers can skip it. docs/reliability.md lists the bad inputs it answers.</remarks>
internal static class Guard
{
    /// <summary>The value itself, or an <see cref="ArgumentOutOfRangeException"/> when it is not a named member of <typeparamref name="T"/>.</summary>
    public static T Defined<T>(T value, string name) where T : struct, Enum =>
        Enum.IsDefined(value) ? value
            : throw new ArgumentOutOfRangeException(name, value,
                $"{name} = {Convert.ToInt64(value, CultureInfo.InvariantCulture)} is not a defined {typeof(T).Name}; use one of {string.Join(", ", Enum.GetNames<T>())}.");

    /// <summary>The value itself, or an exception when it is NaN or infinite.</summary>
    public static double Finite(double value, string name, string fix) =>
        double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number, but {name} = {Show(value)}. {fix}");

    /// <summary>The value itself, or an exception when it is not at least <paramref name="minimum"/>.</summary>
    public static long AtLeast(long value, long minimum, string name, string fix) =>
        value >= minimum ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least {minimum}, but {name} = {value}. {fix}");

    /// <summary>
    /// Checks class-index labels for a batch of <paramref name="batch"/> images scored over <paramref name="classes"/>
    /// classes: int64, one per image, each in 0..classes - 1. cross_entropy answers anything else with raw libtorch text.
    /// </summary>
    public static void ClassLabels(Tensor labels, long batch, long classes, string name)
    {
        ArgumentNullException.ThrowIfNull(labels, name);
        if (labels.dtype != ScalarType.Int64 || labels.dim() != 1 || labels.shape[0] != batch)
            throw new ArgumentException($"{name} must be int64 class indices, one per image ({batch}), but they are {labels.dtype} of shape [{string.Join(", ", labels.shape)}]. Use a dataset's Labels, or tensor(new long[] {{ ... }}).", name);
        if (batch == 0) return;
        using var low = labels.min();
        using var high = labels.max();
        long lo = low.item<long>(), hi = high.item<long>();
        if (lo < 0 || hi >= classes)
            throw new ArgumentOutOfRangeException(name, $"Labels must lie in 0..{classes - 1} (the network has {classes} classes), but they range from {lo} to {hi}. Check the dataset's labels.");
    }

    /// <summary><paramref name="value"/> as an int, or an exception naming the quantity when it does not fit in 32 bits.</summary>
    public static int ToInt(long value, string what, string fix) =>
        value is >= int.MinValue and <= int.MaxValue ? (int)value
            : throw new ArgumentOutOfRangeException(what, value,
                $"{what} = {value.ToString("N0", CultureInfo.InvariantCulture)} does not fit in a 32-bit int (at most {int.MaxValue:N0}). {fix}");

    /// <summary>The product of <paramref name="factors"/> in 64 bits, or an exception naming the quantity when it overflows.</summary>
    public static long Product(string what, params long[] factors)
    {
        long p = 1;
        foreach (long f in factors)
        {
            try { p = checked(p * f); }
            catch (OverflowException)
            {
                throw new ArgumentOutOfRangeException(what, $"{what} = {string.Join(" x ", factors)} exceeds the 64-bit range ({long.MaxValue:N0}). Use smaller sizes.");
            }
        }
        return p;
    }

    /// <summary>Checks that <paramref name="t"/> is a strided floating-point tensor of an allowed dtype with real storage.</summary>
    public static Tensor FloatingTensor(Tensor t, string name, params ScalarType[] allowed)
    {
        ArgumentNullException.ThrowIfNull(t, name);
        if (t.device.type == DeviceType.META)
            throw new ArgumentException($"{name} is a meta tensor (shape only, no data), which cannot be computed with. Create it on a real device, e.g. torch.CPU.", name);
        if (t.is_complex() || !t.is_floating_point() || (allowed.Length > 0 && !allowed.Contains(t.dtype)))
        {
            string expect = allowed.Length > 0 ? string.Join(" or ", allowed) : "a real floating-point dtype";
            throw new ArgumentException($"{name} must be {expect}, but it is {t.dtype}. Convert it first, e.g. {name}.to_type(ScalarType.{(allowed.Length > 0 ? allowed[0] : ScalarType.Float32)}).", name);
        }
        return t;
    }

    /// <summary>Checks that two tensors that meet in one native product have the same dtype and device (libtorch aborts the process on mixed dtypes).</summary>
    public static void SameDtypeAndDevice(Tensor a, string aName, Tensor b, string bName)
    {
        if (a.dtype != b.dtype)
            throw new ArgumentException(
                $"{aName} is {a.dtype} but {bName} is {b.dtype}: the product needs one dtype. Convert one of them, e.g. {aName}.to_type({bName}.dtype).", aName);
        if (a.device.type != b.device.type || a.device.index != b.device.index)
            throw new ArgumentException($"{aName} is on {a.device} but {bName} is on {b.device}. Move them to one device, e.g. {aName}.to({bName}.device).", aName);
    }

    /// <summary>
    /// Refuses an allocation of <paramref name="bytes"/> on the CPU that exceeds the memory the process can have
    /// (MemAvailable of /proc/meminfo, or the GC's limit, whichever is smaller), before libtorch tries it.
    /// </summary>
    public static void MemoryFits(long bytes, string what, string fix)
    {
        long available = AvailableBytes();
        if (bytes > available)
            throw new InsufficientMemoryException(
                $"{what} needs about {Gib(bytes)} GiB ({bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes), but about {Gib(available)} GiB are available. {fix}");
    }

    /// <summary>Bytes the process can still allocate (estimate).</summary>
    public static long AvailableBytes()
    {
        long gc = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        try
        {
            foreach (string line in File.ReadLines("/proc/meminfo"))
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                {
                    long kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                    return Math.Min(gc, kb * 1024);
                }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return gc;
    }

    private static string Gib(long bytes) => (bytes / (double)(1L << 30)).ToString("N1", CultureInfo.InvariantCulture);

    private static string Show(double v) => v.ToString(CultureInfo.InvariantCulture);
}
