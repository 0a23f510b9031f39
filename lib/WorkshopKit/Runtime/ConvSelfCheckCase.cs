namespace WorkshopKit.Runtime;

/// <summary>One case of <see cref="ConvSelfCheck"/>: one convolution at one batch size, thread count and backend, and how many of its seeded trials came back wrong or non-finite.</summary>
/// <param name="Name">The convolution (<see cref="ConvConfiguration.Key"/>).</param>
/// <param name="Models">The models that train it.</param>
/// <param name="Batch">Images per batch.</param>
/// <param name="Threads">libtorch threads.</param>
/// <param name="Backend"><see cref="ConvSelfCheck.OneDnnBackend"/> or <see cref="ConvSelfCheck.AtenBackend"/>.</param>
/// <param name="Trials">Trials run.</param>
/// <param name="Wrong">Trials whose forward, input gradient or weight gradient was finite but off by more than <see cref="ConvSelfCheck.Tolerance"/>.</param>
/// <param name="NonFinite">Trials with a NaN or an infinity in a float32 result (the float64 reference never has one).</param>
/// <param name="WorstError">The largest relative error seen (<see cref="ConvSelfCheck.RelativeError"/>); infinity when a trial was non-finite.</param>
internal sealed record ConvSelfCheckCase(string Name, string Models, long Batch, int Threads, string Backend, int Trials, int Wrong, int NonFinite, double WorstError)
{
    /// <summary>True when no trial was wrong or non-finite.</summary>
    public bool Passed => Wrong == 0 && NonFinite == 0;
}
