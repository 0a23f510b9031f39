namespace WorkshopKit.Precision;

/// <summary>How a value between two neighbouring grid points is mapped onto one of them.</summary>
/// <remarks>First used in notebook 02 (Hardware and precision), section "2.3 Stagnation: when small updates vanish".</remarks>
public enum Rounding
{
    /// <summary>To the nearer neighbour; an exact tie goes to the even neighbour (IEEE default), so ties do not drift upward.</summary>
    Nearest,

    /// <summary>Up with probability equal to the distance from the lower neighbour in grid steps, else down: unbiased on average (Gupta et al. 2015).</summary>
    Stochastic,

    /// <summary>To the neighbour closer to zero (truncation), the cheapest hardware rule and biased toward zero.</summary>
    TowardZero,

    /// <summary>To the lower neighbour (floor), biased toward minus infinity.</summary>
    Down,
}
