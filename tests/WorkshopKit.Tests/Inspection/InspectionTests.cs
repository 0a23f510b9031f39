using WorkshopKit.Blocks;
using WorkshopKit.Data;
using WorkshopKit.Geometry;
using WorkshopKit.Inspection;

namespace WorkshopKit.Tests.Inspection;

public class InspectionTests
{
    private static BlockSequence Net()
    {
        manual_seed(3);
        return new BlockSequence("net", new ConvLayer(1, 4, 3, name: "conv"), new MaxPool2d(2, name: "pool"),
            new ClassifierHead(new FeatureShape(4, 4, 4), 3, globalPool: false));
    }

    [Fact]
    public void LayerOutputsAreWhatEachBlockHandsToTheNextAndEndInTheModelsOutput()
    {
        using var model = Net();
        using var x = rand(2, 1, 8, 8);
        var outputs = LayerOutputs.Of(model, x);
        Assert.Equal(["conv", "pool", "classifier"], outputs.Select(o => o.Name));
        Assert.Equal([2L, 4, 8, 8], outputs[0].Output.shape);
        Assert.Equal([2L, 4, 4, 4], outputs[1].Output.shape);
        // The last output is the model's own output; the pool is max_pool2d of the conv's (TorchSharp's operator as reference).
        using var direct = model.call(x);
        Assert.True(outputs[^1].Output.allclose(direct));
        Assert.True(outputs[1].Output.allclose(nn.functional.max_pool2d(outputs[0].Output, 2)));
        var e = Assert.Throws<BlockShapeException>(() => LayerOutputs.Of(model, rand(1, 2, 8, 8)));
        Assert.Contains("2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SaliencyIsTheGradientOfThePredictedScoreCheckedByFiniteDifferences()
    {
        using var model = Net();
        model.to(ScalarType.Float64);
        using var x = rand(2, 1, 8, 8, dtype: ScalarType.Float64);
        var (map, predicted) = Saliency.Of(model, x);
        Assert.Equal([2L, 8, 8], map.shape);
        model.eval();
        using var noGrad = no_grad();
        using var scores = model.call(x);
        Assert.Equal(scores.argmax(1).data<long>().ToArray(), predicted);
        // Central differences of the predicted score for a few pixels of each image: an independent derivative.
        const double h = 1e-6;
        foreach (int image in new[] { 0, 1 })
            foreach (var (r, c) in new[] { (1, 1), (3, 5), (6, 2) })
            {
                using var plus = x.clone();
                using var minus = x.clone();
                plus[image, 0, r, c] += h;
                minus[image, 0, r, c] -= h;
                double up = model.call(plus)[image, predicted[image]].item<double>(), down = model.call(minus)[image, predicted[image]].item<double>();
                Assert.Equal(Math.Abs((up - down) / (2 * h)), map[image, r, c].item<double>(), 5);
            }
    }

    [Fact]
    public void MisclassificationFindsExactlyTheWrongAnswersMostConfidentFirst()
    {
        using var model = Net();
        using var data = new Dataset("random", rand(40, 1, 8, 8), randint(0, 3, 40, dtype: ScalarType.Int64), ["a", "b", "c"]);
        var wrong = Misclassification.Find(model, data);
        model.eval();
        using var noGrad = no_grad();
        using var probabilities = nn.functional.softmax(model.call(data.Images), 1);
        long[] predicted = probabilities.argmax(1).data<long>().ToArray(), labels = data.Labels.data<long>().ToArray();
        var expected = Enumerable.Range(0, 40).Where(i => predicted[i] != labels[i]).ToHashSet();
        Assert.Equal(expected, wrong.Select(m => m.Index).ToHashSet());
        Assert.All(wrong, m => Assert.Equal(probabilities[m.Index, m.Predicted].item<float>(), m.Confidence, 6));
        Assert.Equal(wrong.OrderByDescending(m => m.Confidence).Select(m => m.Index), wrong.Select(m => m.Index));
    }
}
