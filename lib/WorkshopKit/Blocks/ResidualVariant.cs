namespace WorkshopKit.Blocks;

/// <summary>Where a residual block puts normalization and activation.</summary>
/// <remarks>Taught in notebook 06 (residual blocks), section "The residual block".</remarks>
public enum ResidualVariant
{
    /// <summary>He et al. 2016 (and the author's code): conv-BN-act, conv-BN, add the shortcut, then activate.</summary>
    PostActivation,
    /// <summary>He et al.'s later "identity mappings" form: BN-act-conv twice, then add; nothing follows the addition, so the shortcut stays a pure identity.</summary>
    PreActivation,
}
