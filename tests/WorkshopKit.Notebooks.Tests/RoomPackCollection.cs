namespace WorkshopKit.Notebooks.Tests;

/// <summary>
/// RoomPackTests run alone, not beside other test classes: the offline rehearsal builds the library and runs notebook 01's
/// training in two clients, and on 2 cores anything running beside it only makes both slower.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RoomPackCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "room pack";
}
