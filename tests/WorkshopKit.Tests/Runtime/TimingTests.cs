using WorkshopKit.Runtime;

namespace WorkshopKit.Tests.Runtime;

public class TimingTests
{
    [Fact]
    public void WarmupCallsAreNotTimedAndEveryRepeatRunsItsCalls()
    {
        int calls = 0;
        var result = Timing.Measure(() => calls++, warmup: 2, repeats: 5, callsPerRepeat: 3);
        Assert.Equal(2 + 5 * 3, calls);
        Assert.Equal((5, 3), (result.Repeats, result.CallsPerRepeat));
        Assert.True(result.MinimumSeconds > 0 && result.MinimumSeconds <= result.MedianSeconds);
    }

    [Fact]
    public void TheStatisticIsTheMedian()
    {
        Assert.Equal(2.0, Timing.Median([5.0, 1.0, 2.0]));
        Assert.Equal(2.5, Timing.Median([4.0, 1.0, 2.0, 3.0]));
        Assert.Throws<ArgumentException>(() => Timing.Median([]));
        // One slow repeat (a pause on a shared machine) moves the mean, not the median.
        int i = 0;
        var result = Timing.Measure(() => { if (i++ == 0) Thread.Sleep(200); }, warmup: 0, repeats: 5);
        Assert.True(result.MedianSeconds < 0.1, $"median {result.MedianSeconds} s");
    }

    [Fact]
    public void CallsToFillIsBetweenOneAndTheCap()
    {
        Assert.Equal(1, Timing.CallsToFill(() => Thread.Sleep(20), targetSeconds: 0.001, warmup: 0));
        Assert.Equal(7, Timing.CallsToFill(() => { }, targetSeconds: 10, maxCalls: 7, warmup: 0));
        Assert.Throws<ArgumentException>(() => Timing.Measure(() => { }, repeats: 0));
    }
}
