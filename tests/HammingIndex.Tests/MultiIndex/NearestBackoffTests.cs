using HammingIndex.Codes;
using HammingIndex.Search;
using HammingIndex.Storage;
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
            backoff.Record(false, 0.1);
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
        backoff.Record(true, 0.2);
        Assert.True(backoff.ShouldTry());
        backoff.Record(true, 0.2);
        Assert.True(backoff.ShouldTry());
    }

    /// <summary>
    /// Queries attempted out of <paramref name="queries"/> when every <paramref name="period"/>-th attempt
    /// succeeds spending <paramref name="success"/> of its budget and the others fail after <paramref name="failure"/>.
    /// </summary>
    private static int Attempts(int queries, int period, double success, double failure)
    {
        var backoff = new NearestBackoff();
        int attempts = 0;
        for (int q = 0; q < queries; q++)
        {
            if (!backoff.ShouldTry()) continue;
            attempts++;
            bool succeeds = attempts % period == 0;
            backoff.Record(succeeds, succeeds ? success : failure);
        }
        return attempts;
    }

    [Fact]
    public void SuccessesThatSaveNothingDoNotKeepTheDoorTrying()
    {
        // Tables as dear as the scan, two queries in three abandoned after a quarter of it: the back-off
        // climbs as if every attempt failed (6 attempts in 63 queries, then one in 64).
        int breakEven = Attempts(256, 3, 1.0, 0.25);
        Assert.InRange(breakEven, 1, 6 + 256 / 64);
        // The same outcomes with successes that spend a third of the budget: each resets the back-off.
        int paying = Attempts(256, 3, 0.33, 0.25);
        Assert.True(paying > 256 / 2, $"{paying} of 256 attempted");
        // A success that overran the budget (the hard cap lets a search finish past it) counts as a failure.
        var backoff = new NearestBackoff();
        backoff.Record(false, 0.3);
        backoff.Record(true, 1.5);
        Assert.Equal(2, backoff.Failures);
        Assert.True(backoff.Value < 0);
    }

    [Fact]
    public void AClassIsTrustedAfterARunOfPayingSuccessesAndLosesItAtOnce()
    {
        var backoff = new NearestBackoff();
        for (int i = 0; i < NearestBackoff.TrustAfter - 1; i++)
        {
            backoff.Record(true, 0.2);
            Assert.False(backoff.Trusted, $"after {i + 1} successes");
        }
        backoff.Record(true, 0.2);
        Assert.True(backoff.Trusted);
        backoff.Record(false, 0.1); // one failure: priced from the first ring again
        Assert.False(backoff.Trusted);
        for (int i = 0; i < NearestBackoff.TrustAfter; i++) backoff.Record(true, 0.2);
        Assert.True(backoff.Trusted);
        // Successes that save nothing count as failures: they never earn trust, and take it away.
        for (int i = 0; i < 3 * NearestBackoff.TrustAfter; i++)
        {
            if (!backoff.ShouldTry()) continue;
            backoff.Record(true, 1.2);
        }
        Assert.False(backoff.Trusted);
    }

    [Fact]
    public void TheRunningValueStaysWithinOneScanAndForgetsOldAttempts()
    {
        var backoff = new NearestBackoff();
        for (int i = 0; i < 50; i++) backoff.Record(true, 0.1);
        Assert.Equal(1, backoff.Value); // held at one scan: a long run of wins is no licence for many losses
        for (int i = 0; i < 50; i++) backoff.Record(false, 0.9);
        Assert.Equal(-1, backoff.Value);
        // After the value hit bottom, successes that save three quarters of a scan each bring it back at once:
        // -0.75 + 0.75 = 0 resets the back-off.
        backoff.Record(true, 0.25);
        Assert.Equal(0, backoff.Value, 12);
        Assert.Equal(0, backoff.Failures);
    }
}

public class DoorBackoffTests
{
    [Fact]
    public void EachClassOfKBacksOffOnItsOwn()
    {
        Assert.Equal(0, NearestBackoff.ClassOf(1));
        Assert.Equal(1, NearestBackoff.ClassOf(3));
        Assert.Equal(3, NearestBackoff.ClassOf(10));
        Assert.Equal(6, NearestBackoff.ClassOf(100));
        Assert.Equal(NearestBackoff.Classes - 1, NearestBackoff.ClassOf(int.MaxValue));
        // Failures at 100-NN leave 1-NN and 10-NN trying.
        var backoffs = new NearestBackoffs();
        for (int i = 0; i < 10; i++) backoffs.Record(100, false, 0.1);
        Assert.False(backoffs.ShouldTry(100));
        Assert.False(backoffs.ShouldTry(1000));
        Assert.True(backoffs.ShouldTry(1));
        Assert.True(backoffs.ShouldTry(10));
    }

    [Fact]
    public void AFailureAtKBacksOffEveryLargerKAndASuccessResetsOnlyItsOwnClass()
    {
        var backoffs = new NearestBackoffs();
        for (int i = 0; i < 3; i++) backoffs.Record(1, false, 0.1); // three failures: the next three queries of each class skip
        foreach (int k in new[] { 1, 10, 100, 5000 })
        {
            for (int i = 0; i < 3; i++) Assert.False(backoffs.ShouldTry(k), $"k = {k}, query {i}");
            Assert.True(backoffs.ShouldTry(k));
        }
        for (int i = 0; i < 3; i++) backoffs.Record(10, false, 0.1);
        Assert.True(backoffs.ShouldTry(1)); // 1-NN saw none of 10-NN's failures
        Assert.False(backoffs.ShouldTry(10));
        Assert.False(backoffs.ShouldTry(100));

        var other = new NearestBackoffs();
        for (int i = 0; i < 3; i++) other.Record(100, false, 0.1);
        other.Record(1, true, 0.2);
        Assert.False(other.ShouldTry(100)); // a 1-NN success leaves 100-NN backing off
    }

    [Fact]
    public void ARunOfFailuresAtASmallerKTakesTrustFromEveryLargerK()
    {
        var backoffs = new NearestBackoffs();
        for (int i = 0; i < NearestBackoff.TrustAfter; i++)
        {
            backoffs.Record(1, true, 0.1);
            backoffs.Record(10, true, 0.1);
        }
        Assert.True(backoffs.Trusted(1));
        Assert.True(backoffs.Trusted(10));
        Assert.False(backoffs.Trusted(100)); // never attempted
        backoffs.Record(1, false, 0.2);
        Assert.False(backoffs.Trusted(1));
        Assert.False(backoffs.Trusted(10)); // the run (of one) passes up as a raise
    }

    /// <summary>
    /// What a smaller k passes up is its run of failures, not each failure: isolated 1-NN failures, each
    /// followed by successes, must leave 10-NN trying (counted one by one, ten of them backed 10-NN off
    /// for 63 queries), while a run of them still backs every larger k off as far.
    /// </summary>
    [Fact]
    public void IsolatedFailuresAtASmallerKDoNotAddUpForALargerOne()
    {
        var backoffs = new NearestBackoffs();
        for (int i = 0; i < 10; i++)
        {
            backoffs.Record(1, false, 0.1);
            for (int s = 0; s < 20; s++)
            {
                Assert.True(backoffs.ShouldTry(1));
                backoffs.Record(1, true, 0.2);
            }
        }
        Assert.True(backoffs.ShouldTry(10));
        Assert.True(backoffs.ShouldTry(100));

        var run = new NearestBackoffs();
        for (int i = 0; i < 4; i++)
        {
            while (!run.ShouldTry(1)) { }
            run.Record(1, false, 0.1); // a run of four: the next seven queries of every class skip
        }
        foreach (int k in new[] { 1, 10, 100 })
        {
            for (int i = 0; i < 7; i++) Assert.False(run.ShouldTry(k), $"k = {k}, query {i}");
            Assert.True(run.ShouldTry(k));
        }
    }

    /// <summary>A door over 200,000 clustered 64-bit codes (20,000 centres), deciding from the model's prices alone, on any machine.</summary>
    private static (ulong[] Codes, CodeStore Store, MultiIndexSearcher Door) ClusteredDoor(Random rng)
    {
        ulong[] codes = TestCodes.Clustered(rng, new CodeLayout(64), 200_000, 20_000, 0.05);
        CodeStore store = TestCodes.InMemoryStore(64, codes);
        var door = new MultiIndexSearcher(new MultiIndexHash(store));
        door.ScanCalibration.IsDisabled = true;
        return (codes, store, door);
    }

    /// <summary>
    /// On clustered codes, queries near codes, the tables answer nearly every query, so each class becomes trusted and its
    /// searches probe their first rings unpriced: every answer, before and after, equals the scan's.
    /// </summary>
    [Fact]
    public void ATrustedClassAnswersExactly()
    {
        var rng = new Random(12);
        var (codes, store, door) = ClusteredDoor(rng);
        using var _ = store;
        int trustedQueries = 0, viaTables = 0;
        for (int q = 0; q < 64; q++)
        {
            ulong[] query = [codes[rng.Next(codes.Length)] ^ (1UL << rng.Next(64)) ^ (1UL << rng.Next(64))]; // always near a code
            foreach (int k in new[] { 1, 10 })
            {
                if (door.IsTrusted(k)) trustedQueries++;
                SearchResult answer = door.TopK(query, k);
                if (answer.Path == SearchPath.MultiIndex) viaTables++;
                Assert.Equal(door.Scan.TopK(query, k), answer.Neighbors);
            }
        }
        Assert.True(trustedQueries >= 32, $"{trustedQueries} of 128 queries asked while trusted, {viaTables} through the tables");
        Assert.True(viaTables > 64, $"{viaTables} of 128 through the tables");
    }

    /// <summary>
    /// An application asking 1-NN (which the tables answer on clustered codes) and 100-NN (which they do
    /// not) in turn: the 1-NN successes must not reset the 100-NN back-off, or every 100-NN query pays an
    /// abandoned attempt on top of its scan. An attempt shows in a scan answer's candidates beyond the store.
    /// </summary>
    [Fact]
    public void SuccessesAtOneKDoNotResetTheBackoffOfAnother()
    {
        var rng = new Random(11);
        var (codes, store, door) = ClusteredDoor(rng);
        using var _ = store;
        var layout = store.Layout;
        int nearestViaTables = 0, wideViaTables = 0, wideAttempts = 0;
        const int queries = 256;
        for (int q = 0; q < queries; q++)
        {
            ulong[] query = TestCodes.QueryNear(rng, layout, codes, 0.02);
            if (door.TopK(query, 1).Path == SearchPath.MultiIndex) nearestViaTables++;
            SearchResult wide = door.TopK(query, 100);
            if (wide.Path == SearchPath.MultiIndex) wideViaTables++;
            else if (wide.CandidatesVerified > store.Count) wideAttempts++;
        }
        // The case holds: the tables answer most 1-NN queries and no 100-NN query.
        Assert.True(nearestViaTables > queries / 2, $"{nearestViaTables} of {queries} 1-NN queries through the tables");
        Assert.Equal(0, wideViaTables);
        // Seven attempts while the back-off climbs, then one in 64 (one state for every k: 161 of 256).
        Assert.InRange(wideAttempts, 1, 7 + queries / 64);
    }
}
