using FsCheck.Xunit;
using HammingIndex.Training.Evaluation;

namespace HammingIndex.Training.Tests.Evaluation;

public sealed class RetrievalMetricsTests
{
    private const int A = 0, B = 1, C = 2;

    // The hand-computed case (8-bit codes, labels A, B, C; one code = one ulong).
    //   database: db0 = 0x03 {A}, db1 = 0x01 {B}, db2 = 0x00 {B}, db3 = 0x02 {A}, db4 = 0xFF {A, C}
    //   q1 = 0x00 {A}:    distances 2, 1, 0, 1, 8 -> ranking db2, db1, db3, db0, db4 (db1 before db3: tie to the
    //                     lower index); relevant 0,0,1,1,1; Rq = 3
    //     AP = (1/3 + 2/4 + 3/5) / 3 = 43/90 (had the tie gone to db3 first: (1/2 + 2/4 + 3/5) / 3 = 8/15)
    //     AP@3 = (1/3) / 1 = 1/3;  AP@4 = (1/3 + 2/4) / 2 = 5/12
    //     P@1..5 = 0, 0, 1/3, 2/4, 3/5
    //     within r: r=0 {db2}: P 0, R 0;  r=1 {db2,db1,db3}: P 1/3, R 1/3;  r=2..7 (+db0): P 2/4, R 2/3;  r=8: P 3/5, R 1
    //   q2 = 0xF0 {B, C}: distances 6, 5, 4, 5, 4 -> ranking db2, db4, db1, db3, db0; relevant 1,1,1,0,0; Rq = 3
    //     AP = (1/1 + 2/2 + 3/3) / 3 = 1;  AP@3 = 1;  AP@4 = 1
    //     P@1..5 = 1, 1, 1, 3/4, 3/5
    //     within r: r=0..3 nothing retrieved: P 0 (counts 0), R 0;  r=4 {db2,db4}: P 1, R 2/3;
    //               r=5 (+db1,db3): P 3/4, R 1;  r=6..8 (+db0): P 3/5, R 1
    //   means: MAP = (43/90 + 1) / 2 = 133/180;  MAP@3 = (1/3 + 1) / 2 = 2/3;  MAP@4 = (5/12 + 1) / 2 = 17/24
    //     P@N = 1/2, 1/2, 2/3, 5/8, 3/5
    //     precision by r = 0, 1/6, 1/4, 1/4, 3/4, 5/8, 11/20, 11/20, 3/5
    //     recall by r    = 0, 1/6, 1/3, 1/3, 2/3, 5/6, 5/6, 5/6, 1
    //     lookup within 2: precision (2/4 + 0) / 2 = 1/4, hit rate 1/2
    private static readonly ulong[] Database = [0x03, 0x01, 0x00, 0x02, 0xFF];
    private static readonly LabelSet DatabaseLabels = LabelSet.FromLists([[A], [B], [B], [A], [A, C]], 3);
    private static readonly ulong[] Queries = [0x00, 0xF0];
    private static readonly LabelSet QueryLabels = LabelSet.FromLists([[A], [B, C]], 3);

    [Fact]
    public void HandComputedCaseWithTies()
    {
        RetrievalReport report = RetrievalMetrics.Evaluate(Queries, Database, 8, QueryLabels, DatabaseLabels,
            new RetrievalOptions { MapCutoff = 3 });
        const int P = 12;
        Assert.Equal(43.0 / 90, report.AveragePrecisions[0], P);
        Assert.Equal(1.0, report.AveragePrecisions[1], P);
        Assert.Equal(133.0 / 180, report.Map, P);
        Assert.Equal(2.0 / 3, report.MapAtR, P);
        Assert.Equal(3, report.MapCutoff);
        AssertSequence([1.0 / 2, 1.0 / 2, 2.0 / 3, 5.0 / 8, 3.0 / 5], report.PrecisionAtN);
        AssertSequence([0, 1.0 / 6, 1.0 / 4, 1.0 / 4, 3.0 / 4, 5.0 / 8, 11.0 / 20, 11.0 / 20, 3.0 / 5], report.PrecisionByRadius);
        AssertSequence([0, 1.0 / 6, 1.0 / 3, 1.0 / 3, 2.0 / 3, 5.0 / 6, 5.0 / 6, 5.0 / 6, 1], report.RecallByRadius);
        Assert.Equal(1.0 / 4, report.LookupPrecision, P);
        Assert.Equal(1.0 / 2, report.LookupHitRate, P);

        RetrievalReport at4 = RetrievalMetrics.Evaluate(Queries, Database, 8, QueryLabels, DatabaseLabels,
            new RetrievalOptions { MapCutoff = 4, LookupRadius = 4 });
        Assert.Equal(17.0 / 24, at4.MapAtR, P);
        Assert.Equal(3.0 / 4, at4.LookupPrecision, P);
        Assert.Equal(1.0, at4.LookupHitRate, P);
    }

    [Fact]
    public void QueryWithoutRelevantItemsScoresZero()
    {
        // q = 0x00 with no label: nothing is relevant, so AP = AP@R = P@N = recall = 0.
        LabelSet none = LabelSet.FromLists([Array.Empty<int>()], 3);
        RetrievalReport report = RetrievalMetrics.Evaluate([0x00UL], Database, 8, none, DatabaseLabels);
        Assert.Equal(0.0, report.Map);
        Assert.Equal(0.0, report.MapAtR);
        Assert.All(report.PrecisionAtN, p => Assert.Equal(0.0, p));
        Assert.All(report.RecallByRadius, r => Assert.Equal(0.0, r));
        Assert.Equal(5, report.PrecisionAtN.Length); // the curve stops at the database size
    }

    private static void AssertSequence(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-12, $"entry {i}: expected {expected[i]}, got {actual[i]}");
    }

    [Property(MaxTest = 60)]
    public void MatchesANaiveReferenceOnRandomData(int seed)
    {
        var rng = new Random(seed);
        int[] bitChoices = [8, 16, 64, 65, 130];
        int bits = bitChoices[rng.Next(bitChoices.Length)];
        int words = (bits + 63) / 64;
        int nq = rng.Next(1, 40), ndb = rng.Next(1, 300), labelCount = rng.Next(1, 70);
        // Codes from a small pool of few-bit patterns, so that ties are common.
        ulong[] RandomCodes(int count)
        {
            var codes = new ulong[count * words];
            for (int i = 0; i < count; i++)
            {
                int set = rng.Next(0, Math.Min(bits, 6) + 1);
                for (int s = 0; s < set; s++)
                {
                    int bit = rng.Next(rng.Next(2) == 0 ? Math.Min(bits, 8) : bits);
                    codes[i * words + bit / 64] |= 1UL << (bit % 64);
                }
            }
            return codes;
        }
        LabelSet RandomLabels(int count)
        {
            var lists = new List<IReadOnlyCollection<int>>();
            for (int i = 0; i < count; i++)
                lists.Add(Enumerable.Range(0, rng.Next(0, 3)).Select(_ => rng.Next(labelCount)).ToArray());
            return LabelSet.FromLists(lists, labelCount);
        }
        ulong[] queries = RandomCodes(nq), database = RandomCodes(ndb);
        LabelSet ql = RandomLabels(nq), dl = RandomLabels(ndb);
        var options = new RetrievalOptions
        {
            MapCutoff = rng.Next(1, ndb + 20),
            PrecisionCurveLength = rng.Next(1, 400),
            LookupRadius = rng.Next(0, bits + 1),
        };

        RetrievalReport report = RetrievalMetrics.Evaluate(queries, database, bits, ql, dl, options);
        RetrievalReport serial = RetrievalMetrics.Evaluate(queries, database, bits, ql, dl, options with { MaxDegreeOfParallelism = 1 });
        RetrievalReport expected = NaiveReference(queries, database, bits, ql, dl, options);

        const double Tolerance = 1e-10;
        Assert.Equal(expected.Map, report.Map, Tolerance);
        Assert.Equal(expected.MapAtR, report.MapAtR, Tolerance);
        Assert.Equal(expected.LookupPrecision, report.LookupPrecision, Tolerance);
        Assert.Equal(expected.LookupHitRate, report.LookupHitRate, Tolerance);
        Assert.Equal(expected.PrecisionAtN.Length, report.PrecisionAtN.Length);
        for (int i = 0; i < expected.PrecisionAtN.Length; i++) Assert.Equal(expected.PrecisionAtN[i], report.PrecisionAtN[i], Tolerance);
        for (int r = 0; r <= bits; r++)
        {
            Assert.Equal(expected.PrecisionByRadius[r], report.PrecisionByRadius[r], Tolerance);
            Assert.Equal(expected.RecallByRadius[r], report.RecallByRadius[r], Tolerance);
        }
        for (int q = 0; q < nq; q++) Assert.Equal(expected.AveragePrecisions[q], report.AveragePrecisions[q], Tolerance);
        // Fixed chunks added in order: the thread count does not change a single bit of the result.
        Assert.Equal(report.Map, serial.Map);
        Assert.Equal(report.PrecisionByRadius, serial.PrecisionByRadius);
        Assert.Equal(report.MapAtR, serial.MapAtR);
    }

    /// <summary>The definitions, written the plain way: LINQ OrderBy distance, then index.</summary>
    private static RetrievalReport NaiveReference(ulong[] queries, ulong[] database, int bits, LabelSet ql, LabelSet dl, RetrievalOptions o)
    {
        int words = (bits + 63) / 64, nq = queries.Length / words, ndb = database.Length / words;
        int curve = Math.Min(o.PrecisionCurveLength, ndb);
        int Distance(int q, int j) => Enumerable.Range(0, words).Sum(w => System.Numerics.BitOperations.PopCount(queries[q * words + w] ^ database[j * words + w]));
        var aps = new double[nq];
        double apAtR = 0, hitQueries = 0;
        var pAtN = new double[curve];
        var pByR = new double[bits + 1];
        var rByR = new double[bits + 1];
        for (int q = 0; q < nq; q++)
        {
            var ranked = Enumerable.Range(0, ndb).Select(j => (j, d: Distance(q, j), rel: ql.SharesLabel(q, dl, j)))
                .OrderBy(t => t.d).ThenBy(t => t.j).ToList();
            int totalRel = ranked.Count(t => t.rel);
            double PrecisionAt(int k) => ranked.Take(k).Count(t => t.rel) / (double)k;
            double ap = 0;
            for (int k = 1; k <= ndb; k++) if (ranked[k - 1].rel) ap += PrecisionAt(k);
            aps[q] = totalRel == 0 ? 0 : ap / totalRel;
            int cut = Math.Min(o.MapCutoff, ndb);
            int relInCut = ranked.Take(cut).Count(t => t.rel);
            double apCut = 0;
            for (int k = 1; k <= cut; k++) if (ranked[k - 1].rel) apCut += PrecisionAt(k);
            apAtR += relInCut == 0 ? 0 : apCut / relInCut;
            for (int n = 1; n <= curve; n++) pAtN[n - 1] += PrecisionAt(n);
            for (int r = 0; r <= bits; r++)
            {
                var within = ranked.Where(t => t.d <= r).ToList();
                pByR[r] += within.Count == 0 ? 0 : within.Count(t => t.rel) / (double)within.Count;
                rByR[r] += totalRel == 0 ? 0 : within.Count(t => t.rel) / (double)totalRel;
                if (r == o.LookupRadius && within.Count > 0) hitQueries++;
            }
        }
        return new RetrievalReport
        {
            QueryCount = nq, DatabaseCount = ndb, Bits = bits, MapCutoff = o.MapCutoff, LookupRadius = o.LookupRadius,
            Map = aps.Average(), AveragePrecisions = aps, MapAtR = apAtR / nq,
            PrecisionAtN = pAtN.Select(p => p / nq).ToArray(),
            PrecisionByRadius = pByR.Select(p => p / nq).ToArray(),
            RecallByRadius = rByR.Select(p => p / nq).ToArray(),
            LookupPrecision = pByR[o.LookupRadius] / nq, LookupHitRate = hitQueries / nq,
        };
    }

    [Property(MaxTest = 100)]
    public void CountingSortRanksLikeOrderByDistanceThenIndex(int seed)
    {
        var rng = new Random(seed);
        int max = rng.Next(0, 70);
        int[] distances = Enumerable.Range(0, rng.Next(0, 200)).Select(_ => rng.Next(max + 1)).ToArray();
        var order = new int[distances.Length];
        RetrievalMetrics.RankByDistance(distances, max, new int[max + 2], order);
        int[] expected = Enumerable.Range(0, distances.Length).OrderBy(j => distances[j]).ThenBy(j => j).ToArray();
        Assert.Equal(expected, order);
    }

    [Fact]
    public void BadInputIsRefusedClearly()
    {
        var e = Assert.Throws<ArgumentException>(() => RetrievalMetrics.Evaluate([], Database, 8, LabelSet.FromLists([], 3), DatabaseLabels));
        Assert.Contains("no query codes", e.Message);
        e = Assert.Throws<ArgumentException>(() => RetrievalMetrics.Evaluate(Queries, [], 8, QueryLabels, LabelSet.FromLists([], 3)));
        Assert.Contains("no database codes", e.Message);
        e = Assert.Throws<ArgumentException>(() => RetrievalMetrics.Evaluate(Queries, Database, 8, QueryLabels, LabelSet.FromLists([[A]], 3)));
        Assert.Equal("databaseLabels", e.ParamName);
        Assert.Contains("1 database label rows for 5 database codes", e.Message);
        e = Assert.Throws<ArgumentException>(() => RetrievalMetrics.Evaluate(Queries, Database, 8, LabelSet.FromLists([[A]], 3), DatabaseLabels));
        Assert.Equal("queryLabels", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => RetrievalMetrics.Evaluate(Queries, Database, 8, LabelSet.FromLists([[A], [A]], 4), DatabaseLabels));
        Assert.Contains("over 4 and 3 labels", e.Message);
        // 0x100 does not fit in 8 bits: non-zero padding.
        e = Assert.Throws<ArgumentException>(() => RetrievalMetrics.Evaluate([0x100UL, 0], Database, 8, QueryLabels, DatabaseLabels));
        Assert.Contains("padding", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => RetrievalMetrics.Evaluate(Queries, Database, 4, QueryLabels, DatabaseLabels));
        var o = Assert.Throws<ArgumentOutOfRangeException>(() => RetrievalMetrics.Evaluate(Queries, Database, 8, QueryLabels, DatabaseLabels, new RetrievalOptions { LookupRadius = 9 }));
        Assert.Equal(9, o.ActualValue);
        o = Assert.Throws<ArgumentOutOfRangeException>(() => RetrievalMetrics.Evaluate(Queries, Database, 8, QueryLabels, DatabaseLabels, new RetrievalOptions { MapCutoff = 0 }));
        Assert.Equal(0, o.ActualValue);
    }
}
