using System.Globalization;
using Plotly.NET;
using TorchSharp;
using WorkshopKit.Blocks;
using WorkshopKit.Visuals;
using static TorchSharp.torch;

namespace WorkshopKit.Training;

/// <summary>The size of one gradient inside a network: where it was measured and its Euclidean norm.</summary>
/// <param name="Index">Position from the input side, from 0 (for step inputs: the main-path convolutions passed so far).</param>
/// <param name="Where">The parameter or the step whose input it belongs to.</param>
/// <param name="Norm">Euclidean (L2) norm of the gradient of the loss.</param>
/// <remarks>Comes with <see cref="GradientProbe"/>, first used in notebook 06 (Residual blocks: learning a correction instead of a whole new map), section "The depth experiment".</remarks>
public sealed record GradientNorm(int Index, string Where, double Norm);
