using WorkshopKit.Blocks;

namespace WorkshopKit.Tests.Blocks;

public class MermaidLayoutTests
{
    [Fact]
    public void NoEdgeIsWrittenInsideASubgraph()
    {
        // Mermaid places a node in the subgraph where it is first mentioned; an edge from the input written inside
        // branch 1 drew the block's input inside that branch. Every edge must come after the last "end".
        using var block = new CollaborativeBlock(16, 32, stride: 2);
        using var residual = new ResidualBlock(16, 32, stride: 2);
        foreach (string text in new[] { block.ToMermaid(new FeatureShape(16, 28, 28)), residual.ToMermaid(new FeatureShape(16, 14, 14)) })
        {
            var lines = text.Split('\n').Select(l => l.Trim()).ToList();
            int depth = 0;
            foreach (var line in lines)
            {
                if (line.StartsWith("subgraph ", StringComparison.Ordinal)) depth++;
                else if (line == "end") depth--;
                else if (line.Contains("-->", StringComparison.Ordinal)) Assert.True(depth == 0, $"edge inside a subgraph: {line}");
            }
            Assert.Contains(lines, l => l == "n0 --> n2");
        }
    }
}
