using System.Buffers.Binary;

namespace WorkshopKit.Data;

/// <summary>An unsigned-byte array read from an IDX file: its shape and its values in row-major order.</summary>
/// <param name="Dimensions">The shape, for example [N, 28, 28] for images or [N] for labels.</param>
/// <param name="Values">The values, row-major, as many as the product of <paramref name="Dimensions"/>.</param>
/// <remarks>Comes with <see cref="Datasets"/>, first used in notebook 01 (Convolutional layers), section "1. Why convolutions?".</remarks>
internal sealed record IdxArray(IReadOnlyList<int> Dimensions, byte[] Values);
