using HammingIndex.MultiIndex;

namespace HammingIndex.Tests.MultiIndex;

public class NearestBackoffTests
{
    /// <summary>Runs <paramref name="queries"/> queries whose attempts all fail; returns how many were attempted.</summary>
    private static int AttemptsWhileFailing(ref NearestBackoff backoff, int queries)
    {
        int attempts = 0;
        for (int q = 0; q < queries; q++)
        {
            if (!backoff.ShouldTry()) continue;
            attempts++;
            backoff.Record(false);
        }
        return attempts;
    }

    [Fact]
    public void FailuresInARowSkipTwiceAsManyQueriesEachTimeUpToSixtyThree()
    {
        var backoff = new NearestBackoff();
        // One failure skips nothing; then 1, 3, 7, 15, 31 and 63 skips: attempts at queries 0, 1, 3, 7, 15, 31, 63, 127, 191...
        Assert.Equal(6, AttemptsWhileFailing(ref backoff, 63));  // 0..62
        Assert.Equal(1, AttemptsWhileFailing(ref backoff, 63));  // 63..125: only 63
        Assert.Equal(2, AttemptsWhileFailing(ref backoff, 128)); // 126..253: 127 and 191, one in 64 from here on
    }

    [Fact]
    public void ASuccessResetsTheBackoff()
    {
        var backoff = new NearestBackoff();
        AttemptsWhileFailing(ref backoff, 200);
        while (!backoff.ShouldTry()) { }
        backoff.Record(true);
        Assert.True(backoff.ShouldTry());
        backoff.Record(true);
        Assert.True(backoff.ShouldTry());
    }
}
