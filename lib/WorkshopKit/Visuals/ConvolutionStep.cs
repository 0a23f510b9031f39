using Plotly.NET;
using TorchSharp;
using static TorchSharp.torch;

namespace WorkshopKit.Visuals;

/// <summary>One position of the sliding window: where it sits in the padded input, its element-wise products with the kernel and their sum.</summary>
/// <param name="Row">Output row this window produces.</param>
/// <param name="Column">Output column this window produces.</param>
/// <param name="Top">Top row of the window in the padded input.</param>
/// <param name="Left">Left column of the window in the padded input.</param>
/// <param name="Products">Kernel times window, element by element.</param>
/// <param name="Output">The sum of the products: one output value.</param>
/// <remarks>Comes with <see cref="ConvolutionWalkthrough"/>, first used in notebook 00 (Setup: start here), section "A chart with a slider".</remarks>
public sealed record ConvolutionStep(int Row, int Column, int Top, int Left, float[,] Products, float Output);
