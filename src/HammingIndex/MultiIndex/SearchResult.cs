using HammingIndex.Search;

namespace HammingIndex.MultiIndex;

/// <summary>The answer of a <see cref="MultiIndexSearcher"/> query.</summary>
/// <param name="Neighbors">The results, sorted by distance, then id.</param>
/// <param name="Path">Which algorithm produced them.</param>
/// <param name="CandidatesVerified">
/// Codes whose distance was computed: the distinct candidates (plus delta codes) on the multi-index
/// path; on the scan path every stored position, plus the candidates of an abandoned multi-index attempt.
/// </param>
public readonly record struct SearchResult(Neighbor[] Neighbors, SearchPath Path, long CandidatesVerified);
