using System.Text.Json.Nodes;
using WorkshopKit.Blocks;
using WorkshopKit.Costs;
using WorkshopKit.Data;
using WorkshopKit.Geometry;
using WorkshopKit.MatrixViews;
using WorkshopKit.Precision;
using WorkshopKit.ReceptiveFields;
using WorkshopKit.Runtime;
using WorkshopKit.Training;

namespace WorkshopKit.Tests;

/// <summary>
/// Issue 15's table: bad inputs that once aborted the process natively, returned a wrong answer or raised raw
/// libtorch text, each now answered by a .NET exception of a stated type whose message names the offending value.
/// One row per input; the theory data is the row's name, so each row is its own test case.
/// </summary>
public class BadInputTests
{
    private sealed record Case(Action Act, Type Expected, string MustContain);

    private static readonly Dictionary<string, Case> Cases = Build();

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in Cases.Keys) data.Add(name);
        return data;
    }

    [Fact]
    public void TheTableHoldsAtLeastEightyBadInputs() => Assert.True(Cases.Count >= 80, $"{Cases.Count} rows");

    [Theory]
    [MemberData(nameof(Names))]
    public void IsRefusedWithAClearMessageNamingTheValue(string name)
    {
        var c = Cases[name];
        var e = Assert.Throws(c.Expected, c.Act);
        Assert.Contains(c.MustContain, e.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, Case> Build()
    {
        var t = new Dictionary<string, Case>();
        void Add(string name, Action act, Type expected, string contains) => t.Add(name, new Case(act, expected, contains));
        Type arg = typeof(ArgumentException), range = typeof(ArgumentOutOfRangeException);

        // --- native aborts before: mixed dtypes in one matmul ---
        Add("im2col float64 x, float32 w", () => Im2Col.Convolve(zeros(1, 1, 5, 5, float64), zeros(1, 1, 3, 3)), arg, "Float64");
        Add("im2col float32 x, float64 w", () => Im2Col.Convolve(zeros(1, 1, 5, 5), zeros(1, 1, 3, 3, float64)), arg, "Float64");
        Add("im2col float16 x, float32 w", () => Im2Col.Convolve(zeros(1, 1, 5, 5, float16), zeros(1, 1, 3, 3)), arg, "Float16");
        Add("im2col int64 x", () => Im2Col.Convolve(zeros(1, 1, 5, 5, int64), zeros(1, 1, 3, 3)), arg, "Int64");
        Add("im2col int64 w", () => Im2Col.Convolve(zeros(1, 1, 5, 5), zeros(1, 1, 3, 3, int64)), arg, "Int64");
        Add("im2col meta x", () => Im2Col.Convolve(zeros(1, 1, 5, 5, device: new Device(DeviceType.META)), zeros(1, 1, 3, 3)), arg, "meta");
        Add("im2col complex x", () => Im2Col.Convolve(zeros(1, 1, 5, 5, complex64), zeros(1, 1, 3, 3)), arg, "ComplexFloat");
        Add("mlp forward float64", () => { using var m = Mlp(); m.Forward(zeros(2, 4, float64)); }, arg, "Float64");
        Add("mlp forward int64", () => { using var m = Mlp(); m.Forward(zeros(2, 4, int64)); }, arg, "Int64");
        Add("mlp forward wrong features", () => { using var m = Mlp(); m.Forward(zeros(2, 5)); }, arg, "[2, 5]");
        Add("mlp forward empty batch", () => { using var m = Mlp(); m.Forward(zeros(0, 4)); }, arg, "[0, 4]");
        Add("mlp predict wrong features", () => { using var m = Mlp(); m.Predict(zeros(2, 1, 3, 3)); }, arg, "9 per row");

        // --- silent wrong answers before ---
        Add("ConvPadding record ctor -2", () => new ConvPadding(PaddingMode.Explicit, -2, -2), arg, "before=-2");
        Add("ConvPadding with After -1", () => _ = ConvPadding.Explicit(1, 1) with { After = -1 }, arg, "after=-1");
        Add("ConvPadding Explicit(-1, 0)", () => ConvPadding.Explicit(-1, 0), arg, "before=-1");
        Add("ConvPadding Symmetric(-3)", () => ConvPadding.Symmetric(-3), arg, "before=-3");
        Add("ConvPadding mode 7", () => new ConvPadding((PaddingMode)7), range, "Mode = 7");
        Add("ConvPadding with Mode 9", () => _ = ConvPadding.Valid with { Mode = (PaddingMode)9 }, range, "Mode = 9");
        Add("dilation 2^30", () => ConvGeometry.Conv(10, 3, 1, null, 1 << 30), range, "2,147,483,649");
        Add("Conv(int.MaxValue, 3, FULL)", () => ConvGeometry.Conv(int.MaxValue, 3, 1, ConvPadding.Full), range, "2,147,483,649");
        Add("Conv input near int.MaxValue, explicit pad", () => ConvGeometry.Conv(int.MaxValue, 1, 1, ConvPadding.Explicit(5, 5)), range, "2,147,483,657");
        Add("ConvTranspose overflow", () => ConvGeometry.ConvTranspose(1 << 20, 3, 1 << 12), range, "4,294,963,203");
        Add("Pool overflow padded", () => ConvGeometry.Pool(int.MaxValue, 4, 1, 2), range, "2,147,483,648");
        Add("MinimumInput dilation 2^30", () => ConvGeometry.MinimumInput(3, ConvPadding.Valid, 1 << 30), range, "2,147,483,649");
        Add("Conv input 0", () => ConvGeometry.Conv(0, 3), arg, "input=0");
        Add("Conv kernel -1", () => ConvGeometry.Conv(5, -1), arg, "kernel=-1");
        Add("Conv stride 0", () => ConvGeometry.Conv(5, 3, 0), arg, "stride=0");
        Add("ConvMatrix.Build padding -2", () => ConvMatrix.Build(zeros(1, 1, 3, 3), (1, 5, 5), padding: new ConvPadding(PaddingMode.Explicit, -2, -2)), arg, "before=-2");
        Add("ConvMatrix.Build int64 weight", () => ConvMatrix.Build(ones(1, 1, 3, 3, int64), (1, 5, 5)), arg, "Int64");
        Add("ConvMatrix.Build bool weight", () => ConvMatrix.Build(ones(1, 1, 3, 3, ScalarType.Bool), (1, 5, 5)), arg, "Bool");
        Add("ConvMatrix.Build float64 bias for float32 weight", () => ConvMatrix.Build(ones(1, 1, 3, 3), (1, 5, 5), bias: zeros(1, float64)), arg, "Float64");
        Add("ConvMatrix.Build input C 0", () => ConvMatrix.Build(ones(1, 1, 3, 3), (0, 5, 5)), range, "(0, 5, 5)");
        Add("ConvMatrix.Build huge", () => ConvMatrix.Build(zeros(256, 256, 3, 3), (256, 512, 512)), typeof(InsufficientMemoryException), "GiB");
        Add("ConvMatrix.Apply int64 x", () => { using var m = ConvMatrix.Build(ones(1, 1, 3, 3), (1, 5, 5)); m.Apply(ones(25, int64)); }, arg, "Int64");
        Add("ConvMatrix.ApplyTranspose int32 y", () => { using var m = ConvMatrix.Build(ones(1, 1, 3, 3), (1, 5, 5)); m.ApplyTranspose(ones(9, int32)); }, arg, "Int32");
        Add("ConvMatrix.ApplyWithGather complex", () => { using var m = ConvMatrix.Build(ones(1, 1, 3, 3), (1, 5, 5)); m.ApplyWithGather(ones(25, complex64)); }, arg, "ComplexFloat");
        Add("LayerCosts.Conv batch -4", () => LayerCosts.Conv(-4, 3, 8, Axes3x3()), range, "batch = -4");
        Add("LayerCosts.Conv in 0", () => LayerCosts.Conv(1, 0, 8, Axes3x3()), range, "inChannels = 0");
        Add("LayerCosts.Conv out -1", () => LayerCosts.Conv(1, 3, -1, Axes3x3()), range, "outChannels = -1");
        Add("LayerCosts.Conv overflow", () => LayerCosts.Conv(long.MaxValue / 2, 1024, 1024, Axes3x3()), range, "64-bit");
        Add("LayerCosts.ConvTranspose batch -1", () => LayerCosts.ConvTranspose(-1, 3, 8, [ConvGeometry.ConvTranspose(4, 3, 2)]), range, "batch = -1");
        Add("LayerCosts.Linear in -5", () => LayerCosts.Linear(1, -5, 8), range, "inFeatures = -5");
        Add("LayerCosts.Linear out 0", () => LayerCosts.Linear(1, 5, 0), range, "outFeatures = 0");
        Add("LayerCosts.Linear rows -2", () => LayerCosts.Linear(-2, 5, 8), range, "rows = -2");
        Add("LayerCosts.Linear overflow", () => LayerCosts.Linear(long.MaxValue, 5, 8), range, "64-bit");
        Add("LayerCosts.Pool kind 5", () => LayerCosts.Pool(1, 3, [ConvGeometry.Pool(4, 2)], (PoolKind)5), range, "kind = 5");
        Add("LayerCosts.Pool channels 0", () => LayerCosts.Pool(1, 0, [ConvGeometry.Pool(4, 2)], PoolKind.Max), range, "inChannels = 0");
        Add("RuleOfThumbFlops 1e5", () => LayerCosts.RuleOfThumbFlops(100_000, 100_000, 100_000, 100_000), range, "2 x 100000 x 100000");
        Add("RuleOfThumbFlops k 0", () => LayerCosts.RuleOfThumbFlops(0, 28, 8, 1), range, "k = 0");
        Add("Quantize_ grad leaf", () => { using var w = zeros(4).requires_grad_(); Q().Quantize_(w); }, arg, "requires grad");
        Add("Quantize_ grad leaf composed", () => { using var w = zeros(4).requires_grad_(); Q(QuantizerEngine.Composed).Quantize_(w); }, arg, "requires grad");
        Add("Quantize_ expanded view", () => { using var w = zeros(1, 4).expand(3, 4); Q().Quantize_(w); }, arg, "dimension 0 of shape [3, 4]");
        Add("Quantize_ float64", () => Q().Quantize_(zeros(4, float64)), arg, "Float64");
        Add("Quantize int64", () => Q().Quantize(zeros(4, int64)), arg, "Int64");
        Add("Quantize complex", () => Q().Quantize(zeros(4, complex64)), arg, "ComplexFloat");
        Add("Quantize meta", () => Q().Quantize(zeros(4, device: new Device(DeviceType.META))), arg, "meta");
        Add("Quantizer mode 9", () => new Quantizer(NumberFormat.Fixed(16, 8), (Rounding)9), arg, "9");
        Add("Quantizer engine 4", () => new Quantizer(NumberFormat.Fixed(16, 8), Rounding.Nearest, 0, (QuantizerEngine)4), arg, "4");
        Add("TrainStep lr NaN", () => { using var m = Mlp(); m.TrainStep(zeros(2, 4), zeros(2, int64), double.NaN); }, range, "learningRate = NaN");
        Add("TrainStep lr -0.1", () => { using var m = Mlp(); m.TrainStep(zeros(2, 4), zeros(2, int64), -0.1); }, range, "learningRate = -0.1");
        Add("TrainStep lr +inf", () => { using var m = Mlp(); m.TrainStep(zeros(2, 4), zeros(2, int64), double.PositiveInfinity); }, range, "learningRate = Infinity");
        Add("TrainStep label 3 of 3 classes", () => { using var m = Mlp(); m.TrainStep(zeros(2, 4), tensor(new long[] { 0, 3 }), 0.1); }, range, "from 0 to 3");
        Add("TrainStep label -1", () => { using var m = Mlp(); m.TrainStep(zeros(2, 4), tensor(new long[] { -1, 0 }), 0.1); }, range, "from -1 to 0");
        Add("TrainStep labels float", () => { using var m = Mlp(); m.TrainStep(zeros(2, 4), zeros(2), 0.1); }, arg, "Float32");
        Add("TrainStep labels count", () => { using var m = Mlp(); m.TrainStep(zeros(2, 4), zeros(3, int64), 0.1); }, arg, "[3]");
        Add("TrainStep batch 0", () => { using var m = Mlp(); m.TrainStep(zeros(0, 4), zeros(0, int64), 0.1); }, arg, "[0, 4]");
        Add("TrainStep images int64", () => { using var m = Mlp(); m.TrainStep(zeros(2, 4, int64), zeros(2, int64), 0.1); }, arg, "Int64");
        Add("MLP hidden -5", () => new LowPrecisionMlp(4, -5, 3, null, 1), range, "hidden = -5");
        Add("MLP inputs 0", () => new LowPrecisionMlp(0, 5, 3, null, 1), range, "inputs = 0");
        Add("MLP classes 1", () => new LowPrecisionMlp(4, 5, 1, null, 1), range, "classes = 1");
        Add("Upsample2d mode 7", () => new Upsample2d((ResizeMode)7), range, "mode = 7");
        Add("ResizeConv mode 7", () => new ResizeConv(1, 1, mode: (ResizeMode)7), range, "mode = 7");
        Add("ConvLayer normalization 9", () => new ConvLayer(1, 4, 3, normalization: (Normalization)9), range, "normalization = 9");
        Add("ConvLayer activation 9", () => new ConvLayer(1, 4, 3, activation: (Activation)9), range, "activation = 9");
        Add("TransposedConvLayer normalization 9", () => new TransposedConvLayer(1, 4, (3, 3), normalization: (Normalization)9), range, "normalization = 9");
        Add("RfLayer kind 9", () => new RfLayer("x", (RfKind)9, (1, 1), (1, 1), (0, 0), (1, 1)), range, "Kind = 9");
        Add("RfLayer with Stride (0,0)", () => _ = RfLayer.Conv(3) with { Stride = (0, 0) }, arg, "stride (0, 0)");
        Add("RfLayer with Kernel (0,3)", () => _ = RfLayer.Conv(3) with { Kernel = (0, 3) }, arg, "kernel (0, 3)");
        Add("RfLayer with Padding (-1,0)", () => _ = RfLayer.Conv(3) with { Padding = (-1, 0) }, arg, "padding (-1, 0)");
        Add("RfLayer with Dilation (1,0)", () => _ = RfLayer.Conv(3) with { Dilation = (1, 0) }, arg, "dilation (1, 0)");
        Add("RfLayer ctor stride 0", () => new RfLayer("x", RfKind.Convolution, (3, 3), (0, 1), (0, 0), (1, 1)), arg, "stride (0, 1)");
        Add("RfLayer.Conv stride -2", () => RfLayer.Conv(3, stride: -2), arg, "stride (-2, -2)");
        Add("RfLayer.NearestUpsample 0", () => RfLayer.NearestUpsample(0), arg, "stride (0, 0)");
        Add("Branches() empty", () => RfNode.Branches(), arg, "none was given");
        Add("RfBranches with Paths []", () => _ = RfNode.Branches(RfLayer.Conv(3)) with { Paths = [] }, arg, "none was given");
        Add("Analyze() empty chain", () => ReceptiveField.Analyze(), arg, "has none");
        Add("ClassifierHead hidden -5", () => new ClassifierHead(new FeatureShape(8, 4, 4), 10, hiddenUnits: -5), range, "hiddenUnits = -5");
        Add("ClassifierHead dropout NaN", () => new ClassifierHead(new FeatureShape(8, 4, 4), 10, dropoutRate: double.NaN), range, "dropoutRate = NaN");
        Add("ClassifierHead dropout 1.5", () => new ClassifierHead(new FeatureShape(8, 4, 4), 10, dropoutRate: 1.5), range, "dropoutRate = 1.5");
        Add("ClassifierHead dropout -0.1", () => new ClassifierHead(new FeatureShape(8, 4, 4), 10, dropoutRate: -0.1), range, "dropoutRate = -0.1");
        Add("ClassifierHead classes 0", () => new ClassifierHead(new FeatureShape(8, 4, 4), 0), range, "classes must be at least 1 (got 0)");
        Add("BatchNorm train batch of one 1x1", () => { var l = new ConvLayer(2, 2, 1, normalization: Normalization.Batch); l.train(); l.call(ones(1, 2, 1, 1)); }, arg, "[1, 2, 1, 1]");
        Add("TransposedConv BN train batch of one 1x1", () => { var l = new TransposedConvLayer(2, 2, (1, 1), normalization: Normalization.Batch); l.train(); l.call(ones(1, 2, 1, 1)); }, arg, "[1, 2, 1, 1]");
        Add("ConvLayer float64 input", () => new ConvLayer(1, 4, 3).call(zeros(1, 1, 8, 8, float64)), arg, "Float64");
        Add("ConvLayer int64 input", () => new ConvLayer(1, 4, 3).call(zeros(1, 1, 8, 8, int64)), arg, "Int64");
        Add("ConvLayer meta input", () => new ConvLayer(1, 4, 3).call(zeros(1, 1, 8, 8, device: new Device(DeviceType.META))), arg, "meta");
        Add("BlockSequence float16 input", () => ModelZoo.Create(ModelZoo.Names[0]).call(zeros(1, 1, 28, 28, float16)), arg, "Float16");
        Add("ModelProfiler float64 input", () => ModelProfiler.Profile(nn.Sequential(nn.Conv2d(1, 2, 3)), zeros(1, 1, 8, 8, float64)), arg, "Float64");
        Add("ModelProfiler int64 input", () => ModelProfiler.Profile(nn.Sequential(nn.Conv2d(1, 2, 3)), zeros(1, 1, 8, 8, int64)), arg, "Int64");
        Add("Block positive channels", () => new ConvLayer(0, 4, 3), range, "inChannels must be at least 1 (got 0)");

        Add("Trainer BatchSize 0", () => new Trainer(new TrainerOptions { BatchSize = 0 }).Fit(TinyNet(), Tiny(), Tiny()), arg, "BatchSize (0)");
        Add("Trainer Momentum NaN", () => new Trainer(new TrainerOptions { Optimizer = OptimizerKind.Sgd, Momentum = double.NaN }).Fit(TinyNet(), Tiny(), Tiny()), arg, "Momentum (NaN)");
        Add("Trainer Momentum -0.5", () => new Trainer(new TrainerOptions { Optimizer = OptimizerKind.Sgd, Momentum = -0.5 }).Fit(TinyNet(), Tiny(), Tiny()), arg, "Momentum (-0.5)");
        Add("Trainer LearningRate infinity", () => new Trainer(new TrainerOptions { LearningRate = double.PositiveInfinity }).Fit(TinyNet(), Tiny(), Tiny()), arg, "LearningRate (Infinity)");
        Add("GradientProbe label 2 of 2 classes", () => GradientProbe.WeightGradients(TinyNet(), zeros(2, 1, 8, 8), tensor(new long[] { 0, 2 })), range, "from 0 to 2");
        Add("GradientProbe labels float", () => GradientProbe.WeightGradients(TinyNet(), zeros(2, 1, 8, 8), zeros(2)), arg, "Float32");
        Add("GradientProbe labels count", () => GradientProbe.WeightGradients(TinyNet(), zeros(2, 1, 8, 8), zeros(3, int64)), arg, "[3]");
        Add("InputGradients label -1", () => GradientProbe.InputGradients(ModelZoo.PlainStack(6), zeros(2, 1, 28, 28), tensor(new long[] { -1, 0 })), range, "from -1 to 0");
        Add("StagnationDemo increment NaN", () => StagnationDemo.Run(NumberFormat.Fixed(16, 8), Rounding.Nearest, steps: 10, increment: float.NaN), range, "increment = NaN");
        Add("StagnationDemo increment +inf", () => StagnationDemo.Run(NumberFormat.Fixed(16, 8), Rounding.Nearest, steps: 10, increment: float.PositiveInfinity), range, "increment = Infinity");
        Add("Trainer TimeBudget -1 s", () => new Trainer(new TrainerOptions { TimeBudget = TimeSpan.FromSeconds(-1) }).Fit(TinyNet(), Tiny(), Tiny()), arg, "TimeBudget must be above zero (got -1 s)");
        Add("Trainer TimeBudget 0", () => new Trainer(new TrainerOptions { TimeBudget = TimeSpan.Zero }).Fit(TinyNet(), Tiny(), Tiny()), arg, "TimeBudget must be above zero (got 0 s)");
        Add("IdxFile.Write shape wrapping to 0 in 64 bits", () => IdxFile.Write([65536, 65536, 65536, 65536], []), arg, "holds 18446744073709551616 values but 0 were given");

        // --- raw or unclear errors before ---
        Add("manifest without train", () => DataManifest.Read(ManifestWithout("train")), typeof(DataFileException), "\"train\"");
        Add("manifest without test", () => DataManifest.Read(ManifestWithout("test")), typeof(DataFileException), "\"test\"");
        Add("manifest without classNames", () => DataManifest.Read(ManifestWithout("classNames")), typeof(DataFileException), "\"classNames\"");
        Add("ELF corrupt version offsets", () => ElfVersionNeeds.Read(CorruptElf()), typeof(InvalidDataException), "corrupt.so");
        Add("ConvMatrix.Apply after Dispose", () => { var m = ConvMatrix.Build(ones(1, 1, 3, 3), (1, 5, 5)); m.Dispose(); m.Apply(ones(25)); }, typeof(ObjectDisposedException), "This ConvMatrix (9 x 25, input (1, 5, 5)) was disposed");
        Add("ConvMatrix.Sparse after Dispose", () => { var m = ConvMatrix.Build(ones(1, 1, 3, 3), (1, 5, 5)); m.Dispose(); _ = m.Sparse; }, typeof(ObjectDisposedException), "was disposed");
        Add("IDX header 2^31-1 x 2^31-1 x 4 in 18 bytes", () => IdxFile.Read(HugeIdxHeader()), typeof(InvalidDataException), "= 18,446,744,056,529,682,436 values, but the data holds 18 bytes");
        Add("StagnationDemo steps 0", () => StagnationDemo.Run(NumberFormat.Fixed(16, 8), Rounding.Nearest, steps: 0), range, "steps must be at least 1, but steps = 0");
        Add("StagnationDemo accumulators 0", () => StagnationDemo.Run(NumberFormat.Fixed(16, 8), Rounding.Nearest, steps: 10, accumulators: 0), range, "accumulators must be at least 1, but accumulators = 0");
        Add("StagnationDemo record -1", () => StagnationDemo.Run(NumberFormat.Fixed(16, 8), Rounding.Nearest, steps: 10, record: -1), range, "record must be at least 1, but record = -1");
        Add("ZooExperiment.Depth steps 0", () => ZooExperiment.Depth(Path.GetTempPath(), 100, 0, CPU, "test"), range, "steps must be at least 1, but steps = 0");
        Add("SyntheticDigits count 0", () => SyntheticDigits.Create(0, seed: 1), range, "count must be at least 1, but count = 0");
        Add("PrecisionResults.Load without results.json", () => PrecisionResults.Load(Directory.CreateTempSubdirectory("wk-precision-").FullName), typeof(FileNotFoundException), "results.json are missing.");
        Add("PrecisionResults.Load missing folder", () => PrecisionResults.Load(Path.Combine(Path.GetTempPath(), "wk-no-such-folder-" + Guid.NewGuid().ToString("N"))), typeof(FileNotFoundException), "(the folder does not exist either)");
        return t;
    }

    private static IReadOnlyList<AxisGeometry> Axes3x3() => [ConvGeometry.Conv(8, 3), ConvGeometry.Conv(8, 3)];

    private static Quantizer Q(QuantizerEngine engine = QuantizerEngine.Fused) => new(NumberFormat.Fixed(16, 8), Rounding.Nearest, 1, engine);

    private static LowPrecisionMlp Mlp() => new(4, 5, 3, null, 1);

    private static Dataset Tiny() => new("tiny", zeros(4, 1, 8, 8), tensor(new long[] { 0, 1, 0, 1 }), ["a", "b"]);

    private static BlockSequence TinyNet() => new("tiny", new ConvLayer(1, 2, 3), new ClassifierHead(new FeatureShape(2, 6, 6), 2));

    /// <summary>The repository's manifest with one key of the first dataset removed, in a fresh folder.</summary>
    private static string ManifestWithout(string key)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(Datasets.FindDataDirectory(), DataManifest.FileName)))!;
        json["datasets"]![0]!.AsObject().Remove(key);
        string dir = Directory.CreateTempSubdirectory("wk-manifest-").FullName;
        File.WriteAllText(Path.Combine(dir, DataManifest.FileName), json.ToJsonString());
        return dir;
    }

    /// <summary>An 18-byte IDX file whose header claims shape [2^31 - 1, 2^31 - 1, 4]: the element count overflows 64 bits.</summary>
    private static byte[] HugeIdxHeader() => [0, 0, IdxFile.UnsignedByte, 3, 0x7F, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0, 0, 0, 4, 1, 2];

    /// <summary>A copy of a real ELF library whose first version-need entry points its auxiliary list far outside the section.</summary>
    private static string CorruptElf()
    {
        const string library = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";
        var needs = ElfVersionNeeds.Read(library);
        byte[] bytes = File.ReadAllBytes(library);
        // vna_name of the first auxiliary entry (4 bytes after its flags): a string offset far outside the string table.
        BitConverter.GetBytes(0x7FFF_0000u).CopyTo(bytes, (int)needs[0].FlagsOffset + 4);
        string path = Path.Combine(Directory.CreateTempSubdirectory("wk-elf-").FullName, "corrupt.so");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
