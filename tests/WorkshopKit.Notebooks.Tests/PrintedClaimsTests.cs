using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive.Documents;
using TorchSharp;
using WorkshopKit.Blocks;
using WorkshopKit.Data;
using WorkshopKit.Runner;
using WorkshopKit.Training;

namespace WorkshopKit.Notebooks.Tests;

/// <summary>
/// Sentences the notebooks print about their own numbers (issue 24: "conclusions that follow the numbers"). The
/// notebooks compute these sentences; here each is checked against a count made independently of the notebook's code
/// (TorchSharp's own <c>parameters()</c>, the saved result files, the geometry of a strided 1x1 convolution), so a
/// sentence that says one thing while its number says another fails. The first tests read the models and notebook
/// sources only; the tests on printed output share the notebook runs of <see cref="NotebookExecutionTests"/>.
/// </summary>
public class PrintedClaimsTests
{
    private static long CountParameters(torch.nn.Module model) => model.parameters().Sum(p => p.numel());

    private static string CodeOf(string notebook) => string.Join("\n",
        IpynbJson.Cells(IpynbJson.Load(Path.Combine(RepoRoot.Path, "notebooks", notebook)))
            .Where(c => IpynbJson.CellType(c) == "code").Select(IpynbJson.Source));

    private static async Task<string> PrintedBy(string notebook)
    {
        var executed = await ExecutedNotebooks.Get(notebook);
        Assert.True(executed.Result.Succeeded, executed.Result.Summary);
        return string.Join("\n", executed.Document.Elements.SelectMany(e => e.Outputs).OfType<TextElement>().Select(t => t.Text));
    }

    private static double Number(string text) => double.Parse(text.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(Normalization.None)]
    [InlineData(Normalization.Batch)]
    public void The_residual_stacks_extra_parameters_are_exactly_its_projection_shortcuts(Normalization normalization)
    {
        // Notebook 06 prints "the residual stack has N more parameters than the plain one; its K 1x1 projection shortcuts
        // hold M", N from TorchSharp's parameters() and M from Describe's rows. They tell one story only if N = M > 0.
        using var plain = ModelZoo.PlainStack(20, normalization);
        using var residual = ModelZoo.ResidualStack(20, normalization);
        long extra = CountParameters(residual) - CountParameters(plain);
        var projections = residual.Blocks.OfType<ResidualBlock>().Where(b => b.HasProjection).ToList();
        long inShortcuts = projections.Sum(b => b.named_parameters().Where(p => p.name.StartsWith("shortcut.", StringComparison.Ordinal))
            .Sum(p => p.parameter.numel()));
        var described = residual.Describe(FeatureShape.Mnist).Layers
            .Where(l => l.Name.EndsWith("/projection 1x1", StringComparison.Ordinal)).ToList();

        Assert.True(extra > 0, $"the residual stack should have more parameters than the plain one, has {extra} more");
        Assert.Equal(2, projections.Count); // the two strided blocks
        Assert.Equal(extra, inShortcuts);
        Assert.Equal(projections.Count, described.Count);
        Assert.Equal(extra, described.Sum(l => l.Parameters));
    }

    [Fact]
    public void Notebook_06_prints_the_parameter_difference_it_counts_and_no_fixed_template()
    {
        string code = CodeOf("06-residual-blocks.ipynb");
        // The old sentence printed "0 more weight tensors: the 1x1 projections ..." whatever the count was.
        Assert.DoesNotContain("more weight \" +", code, StringComparison.Ordinal);
        Assert.Matches(@"long extraParameters = CountParameters\(residualStack\) - CountParameters\(plainStack\);", code);
        Assert.Matches(@"\$""the residual stack has \{extraParameters:N0\} more parameters than the plain one", code);
    }

    [Fact]
    public async Task Notebook_06_the_printed_parameter_difference_is_TorchSharps_count()
    {
        string printed = await PrintedBy("06-residual-blocks.ipynb");
        var m = Regex.Match(printed, @"the residual stack has ([\d,]+) more parameters than the plain one; its (\d+) 1x1 projection shortcuts \(weights and biases\) hold ([\d,]+)\.");
        Assert.True(m.Success, "notebook 06 no longer prints the parameter sentence:\n" + printed);
        using var plain = ModelZoo.PlainStack(20);
        using var residual = ModelZoo.ResidualStack(20);
        long extra = CountParameters(residual) - CountParameters(plain);
        Assert.Equal(extra, (long)Number(m.Groups[1].Value));
        Assert.Equal(residual.Blocks.OfType<ResidualBlock>().Count(b => b.HasProjection), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.Equal(extra, (long)Number(m.Groups[3].Value));
    }

    [Fact]
    public async Task Notebook_06_counts_the_depth_metrics_that_favour_the_deeper_stack_as_the_saved_file_says()
    {
        var saved = DepthResults.Load();
        Assert.True(saved.Any, "data/results/depth/depth.json is missing");
        string printed = await PrintedBy("06-residual-blocks.ipynb");
        foreach (var model in new[] { "plain", "residual" })
        {
            var deep = saved.Find(model, "batch", 20)!;
            var shallow = saved.Find(model, "batch", 8)!;
            int expected = new[] { deep.TrainLoss < shallow.TrainLoss, deep.TrainAccuracy > shallow.TrainAccuracy, deep.TestAccuracy > shallow.TestAccuracy }.Count(b => b);
            var m = Regex.Match(printed, model + @", batch norm, 20 vs 8 conv: .*?the deeper stack is better on (\d) of these 3 numbers");
            Assert.True(m.Success, $"notebook 06 no longer prints the 20-vs-8 comparison of the {model} stacks:\n" + printed);
            Assert.Equal(expected, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task Notebook_07_states_the_accuracy_gap_and_parameter_ratio_of_the_saved_runs()
    {
        var saved = ZooResults.Load();
        Assert.True(saved.Any, "data/results/zoo/zoo.json is missing");
        string printed = await PrintedBy("07-dense-blocks.ipynb");
        using var dense = ModelZoo.SmallDenseNet();
        using var res = ModelZoo.SmallResNet();
        double parameterRatio = (double)CountParameters(dense) / CountParameters(res);
        foreach (var dataset in new[] { DatasetName.Mnist, DatasetName.FashionMnist })
        {
            var d = saved.Find(dataset, "densenet")!;
            var r = saved.Find(dataset, "resnet")!;
            double gap = 100 * (d.TestAccuracy - r.TestAccuracy);
            var m = Regex.Match(printed, dataset + @": the DenseNet is ([\d.]+) points (less|more) accurate than the ResNet on the test images, with x([\d.]+) the parameters.*?it reached ([\d.]+) % in the last epoch \(ResNet ([\d.]+) %\)");
            Assert.True(m.Success, $"notebook 07 no longer prints the {dataset} verdict:\n" + printed);
            Assert.Equal(Math.Abs(gap), Number(m.Groups[1].Value), 0.006);
            Assert.Equal(gap < 0 ? "less" : "more", m.Groups[2].Value);
            Assert.Equal(parameterRatio, Number(m.Groups[3].Value), 0.006);
            Assert.Equal(100 * d.TrainAccuracy, Number(m.Groups[4].Value), 0.06);
            Assert.Equal(100 * r.TrainAccuracy, Number(m.Groups[5].Value), 0.06);
        }
    }

    [Fact]
    public async Task Notebook_05_counts_the_input_pixels_each_branch_reads_as_the_geometry_says()
    {
        // A stride-2 1x1 convolution on 28x28 reads the pixels at even rows and columns: 14 x 14 of 784. The other
        // branches see every pixel (3x3 windows, or a 3x3 max pool before their strided 1x1).
        string printed = await PrintedBy("05-collaborative-filters.ipynb");
        var m = Regex.Match(printed, @"Input pixels \(of 28x28 = 784\) that reach each branch's output: branch 1: (\d+), branch 2: (\d+), branch 3: (\d+), branch 4: (\d+)");
        Assert.True(m.Success, "notebook 05 no longer prints the pixels each branch reads:\n" + printed);
        Assert.Equal(new[] { 784, 784, 784, 196 }, Enumerable.Range(1, 4).Select(i => int.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture)));
    }
}
