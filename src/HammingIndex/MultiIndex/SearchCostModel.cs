namespace HammingIndex.MultiIndex;

/// <summary>
/// The front door's cost model, in nanoseconds on one core: what a multi-index search costs for the
/// keys it probes and the candidates it verifies (both counted in advance from the tables' offsets,
/// see <see cref="RingCount"/>), against what a scan of n codes costs. Every constant of the model is
/// here.
/// </summary>
/// <remarks>
/// The constants come from a least-squares fit (coefficients kept non-negative) over the rows of the
/// door-matrix run, <c>door-matrix --n 1000000 --bits 64,128,256 --rounds 5 --fit</c> (thread CPU
/// time, AVX-512, 2026-11-27, bench/README.md): raw MIH time per query = probe × keys + entry ×
/// bucket entries, the keys and entries of each row counted exactly from the offsets (radius rows:
/// every table to its sub-radius; k-NN rows: every ring up to the k-th distance), one fit per table
/// layout (codes: 45 ns a key, 22 an entry; positions only: 30 and 25; per word 0 in both, rounded
/// here to one probe cost and a small per-word term); scan time per query = word × n × words + per k
/// (0.265 ns a word, 3.5 µs per k at 1M codes, modelled as k × log2(n / k) heap steps). Keys and entries
/// are nearly proportional on uniform codes, so the split between the two is loose; their sum per key
/// is what the uniform rows pin down. Only ratios decide, and the decision is made from counted work,
/// so an error of the constants moves only the break-even point, never the answers.
/// <para>
/// Refitted 2026-11-28 (bench/README.md, "Front door, eleventh session"): an entry of tables with codes
/// measured about 12.5 ns a word with its probes (9.5–11 at 64 bits, 25–35 at 128, 46–55 at 256) where
/// the model had 20 + 0.5 a word, and a top-100 scan of 1M codes cost 1.5 times a 1-NN scan, not the 2.25
/// times of a heap step at 250. With 2.5 + 5 a word and 125 a heap step, alternating 1M passes of every
/// row read 2 and 3 rows over 1.11 against 8 and 8 (the 64-bit k-NN rows of tables with codes, on both
/// sides of the break-even); at 10M, 64 bits, every row but one was decided as before.
/// </para>
/// </remarks>
internal static class SearchCostModel
{
    /// <summary>One key probed: the offsets load and the bucket's first line (misses, overlapped a chunk at a time).</summary>
    public const double ProbeCost = 40;

    /// <summary>One bucket entry in tables with codes: its copy read in order, one distance (plus this much per 64-bit word).</summary>
    public const double CodeCandidateCost = 2.5;

    /// <summary>Per 64-bit word of a candidate's code in tables with codes: the entry's bytes are most of its price.</summary>
    public const double CodeCandidateWordCost = 5;

    /// <summary>One bucket entry in tables of positions only: the seen stamp, the store's code, tombstone (random reads).</summary>
    public const double PositionCandidateCost = 22;

    /// <summary>Per 64-bit word of a candidate's code read from the store at random.</summary>
    public const double PositionCandidateWordCost = 1;

    /// <summary>One result kept: its id and tombstone loads (cache misses).</summary>
    public const double ResultCost = 60;

    /// <summary>One slot of a table walked linearly (when that is cheaper than enumerating masks).</summary>
    public const double SlotCost = 1;

    /// <summary>One 64-bit word of the sequential SIMD scan (ns; the scan is bound by memory bandwidth).</summary>
    public const double ScanWordCost = 0.265;

    /// <summary>
    /// Before a k-NN search holds k codes it cannot tell how many rings it still needs: it may spend up
    /// to this share of a scan that way. Once it holds k codes, the remaining rings are known and counted,
    /// and it goes on only if they fit the scan's cost in full.
    /// </summary>
    public const double UnfilledFraction = 0.3;

    /// <summary>
    /// The share of a scan a k-NN search of a trusted class (<see cref="NearestBackoff.Trusted"/>) may spend
    /// before it prices anything: the unfilled share, so a search that would stop for want of k codes
    /// stops where it would have; one whose codes held put its k-th distance out of reach reads a few more
    /// rings before the door weighs them.
    /// </summary>
    public const double TrustedFreeFraction = UnfilledFraction;

    /// <summary>
    /// Once the codes held put a k-NN query's k-th distance out of reach, the search may still spend up
    /// to this share of a scan reading further levels before it stops: a clustered query whose cluster
    /// lies a level or two beyond the first levels shows nothing of it until those levels are read (10M
    /// clustered 64-bit 100-NN: a quarter of the queries stopped after about 1% of a scan, where the whole
    /// probe cost 10–20%). Uniform queries lose at most this much per attempt, before the back-off.
    /// </summary>
    public const double EvidenceFraction = 0.1;

    /// <summary>
    /// A k-NN search that reaches the work's hard cap with the rings to its bound costing at most this
    /// share of a scan goes on rather than start the scan (what it spent is gone either way; the quarter
    /// held back allows for rings whose entries were sampled).
    /// </summary>
    public const double OverrunFraction = 0.75;

    /// <summary>A query's fixed cost on the multi-index path (its pooled scratch, substrings, result array).</summary>
    public const double QueryOverhead = 500;

    /// <summary>
    /// A batch's table probes predicted to cost at least this (20 µs) beyond its first group wake parked
    /// helper threads: the signal costs the calling thread a system call of a few microseconds, and a
    /// helper that arrives after the batch is over still spins for the next (<see cref="Search.BatchHelpers"/>).
    /// </summary>
    public const double WakeHelpersCost = 20_000;

    /// <summary>One code of the sequential scan.</summary>
    public static double ScanCostPerCode(int wordsPerCode) => ScanWordCost * wordsPerCode;

    /// <summary>
    /// Words of a store that the scan streams at <see cref="ScanWordCost"/> (the 1M rows of the fit reach
    /// 32 MB); the words beyond cost <see cref="UncachedScanWordCost"/>.
    /// </summary>
    public const double CachedWords = 4 * 1024 * 1024;

    /// <summary>
    /// One 64-bit word of the scan past <see cref="CachedWords"/> (ns): measured 0.33–0.42 on the 10M
    /// 64- and 128-bit rows (80–160 MB; 3.5–4.2 ms per 10M 64-bit codes) against 0.25–0.3 at 1M.
    /// </summary>
    public const double UncachedScanWordCost = 0.35;

    /// <summary>
    /// One bucket entry in tables of positions only over a store of more than <see cref="CachedWords"/>:
    /// its code is a random read from memory, not cache. The 10M 64-bit uniform k-NN rows measure 32–53 ns
    /// an entry with its probes, of which the probes (<see cref="ProbeCost"/> a key, about 2.4 entries a
    /// key there) are some 17: 55, set from the whole figure, priced them twice and scanned 100-NN where
    /// the tables took 0.75 of the scan (bench/README.md, twelfth session).
    /// </summary>
    public const double UncachedPositionCandidateCost = 30;

    /// <summary>A scan over <paramref name="codes"/> codes: the first <see cref="CachedWords"/> words at the cached rate, the rest at the uncached.</summary>
    public static double ScanCost(long codes, int wordsPerCode)
    {
        double words = (double)codes * wordsPerCode;
        return Math.Min(words, CachedWords) * ScanWordCost + Math.Max(0, words - CachedWords) * UncachedScanWordCost;
    }

    /// <summary>Per k and per halving of n / k: the top-k scan's heap and its smaller kernel calls while the bound is loose.</summary>
    public const double ScanHeapCost = 125;

    /// <summary>A top-<paramref name="k"/> scan over <paramref name="codes"/> codes: the pass, plus about k × log2(n / k) heap work.</summary>
    public static double ScanTopKCost(long codes, int wordsPerCode, int k) =>
        ScanCost(codes, wordsPerCode) + (codes == 0 ? 0 : k * ScanHeapCost * Math.Log2(1 + (double)codes / k));

    /// <summary>
    /// What one bucket entry costs in tables of <paramref name="hasCodes"/> layout over <paramref name="codes"/>
    /// codes of <paramref name="wordsPerCode"/> words, when a read of the store costs <paramref name="storePrice"/>
    /// times the model's (<see cref="SearchBudget.StorePrice"/>, the scan's learnt price).
    /// </summary>
    /// <remarks>
    /// An entry of tables with codes is read from the tables, at the model's price. An entry of tables of
    /// positions only is a random read of the store. While the store fits <see cref="CachedWords"/> it is
    /// served from the last-level cache, as the scan is, and both get faster or slower with what the cache
    /// holds: on a day 1M 64-bit scans ran at 0.57 of the model, such entries ran at about 0.6 and entries
    /// of tables with codes at 1.0 (door-matrix --fit, bench/README.md, twentieth session), so these move
    /// with <paramref name="storePrice"/>. Past that the store is read from memory: a scan is bound by its
    /// bandwidth and a random read by its latency, which move apart (scans of 10M 64-bit codes at 2.3 and
    /// 8.8 ms on two days, raw MIH 1.3 times slower to 1.9 times faster; tenth session), so those stay at
    /// <see cref="UncachedPositionCandidateCost"/>.
    /// </remarks>
    public static double CandidateCost(bool hasCodes, int wordsPerCode, long codes = 0, double storePrice = 1)
    {
        if (hasCodes) return CodeCandidateCost + CodeCandidateWordCost * wordsPerCode;
        bool cached = (double)codes * wordsPerCode <= CachedWords;
        return (cached ? storePrice : 1) * ((cached ? PositionCandidateCost : UncachedPositionCandidateCost) + PositionCandidateWordCost * wordsPerCode);
    }

    /// <summary>What one bucket entry costs in <paramref name="tables"/> at the store's <paramref name="storePrice"/> (see the other overload).</summary>
    public static double CandidateCost(MultiIndexTables tables, double storePrice = 1) =>
        CandidateCost(tables.HasCodes, tables.Split.Layout.WordsPerCode, tables.IndexedCount, storePrice);

    /// <summary>The cost of a ring: its probes (or a walk of the table's slots) and its entries.</summary>
    public static double Ring(in RingCount.Estimate ring, double candidateCost) =>
        (ring.Walks ? ring.Keys * SlotCost : ring.Keys * ProbeCost) + ring.Entries * candidateCost;
}
