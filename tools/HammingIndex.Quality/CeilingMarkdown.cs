using System.Globalization;
using System.Text;
using HammingIndex.Training.Evaluation;

/// <summary>The hash-function analysis as Markdown: means over seeds per code length.</summary>
internal static class CeilingMarkdown
{
    public static string Render(string dataset, IReadOnlyList<HashCeilingReport> reports)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        int[] seeds = reports.Select(r => r.Seed).Distinct().ToArray();
        sb.AppendLine(c, $"{dataset}: how well each modality's hash functions reproduce the learned codes B (mean over seeds {string.Join(", ", seeds)}).");
        sb.AppendLine("Bit error = share of B's bits a function gets wrong; in-sample on the rows it was fitted on, held-out by 3-fold cross-validation on the training rows.");
        sb.AppendLine("Encoded-database MAP uses the same kind of functions for both modalities (I->T / T->I).");
        sb.AppendLine();
        sb.AppendLine("| bits | modality | hash functions | anchors | ridge | in-sample bit error | held-out bit error | per-bit held-out error (min / median / max) | encoded-database MAP I->T / T->I | training-codes MAP I->T / T->I |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var group in reports.GroupBy(r => r.Bits))
        {
            HashCeilingReport first = group.First();
            foreach (var (modality, select) in new (string, Func<HashCeilingReport, IReadOnlyList<HashFitFigures>>)[] { ("image", r => r.Image), ("text", r => r.Text) })
            {
                for (int f = 0; f < select(first).Count; f++)
                {
                    HashFitFigures[] all = group.Select(r => select(r)[f]).ToArray();
                    double Mean(Func<HashFitFigures, double> g) => all.Average(g);
                    string ridge = double.IsNaN(all[0].Ridge) ? "–" : string.Join("/", all.Select(x => x.Ridge.ToString("G1", c)).Distinct());
                    string heldOut = double.IsNaN(all[0].HeldOutBitError) ? "–" : Mean(x => x.HeldOutBitError).ToString("P1", c);
                    string perBit = all[0].HeldOutBitErrorQuartiles.Count == 0 ? "–"
                        : string.Create(c, $"{Mean(x => x.HeldOutBitErrorQuartiles[0]):P0} / {Mean(x => x.HeldOutBitErrorQuartiles[2]):P0} / {Mean(x => x.HeldOutBitErrorQuartiles[4]):P0}");
                    var tc = group.Select(r => r.TrainingCodesMap[f]).ToArray();
                    sb.AppendLine(c, $"| {group.Key} | {modality} | {all[0].Functions} | {all[0].Anchors} | {ridge} | {Mean(x => x.InSampleBitError):P1} | {heldOut} | {perBit} | {Mean(x => x.EncodedMap.ImageToText):F3} / {Mean(x => x.EncodedMap.TextToImage):F3} | {tc.Average(x => x.ImageToText):F3} / {tc.Average(x => x.TextToImage):F3} |");
                }
            }
        }
        sb.AppendLine();
        sb.AppendLine("Held-out bit error by relative ridge (first seed, code regression and ceiling):");
        sb.AppendLine();
        foreach (HashCeilingReport r in reports.Where(r => r.Seed == seeds[0]))
            foreach (var (modality, figures) in new[] { ("image", r.Image), ("text", r.Text) })
                foreach (HashFitFigures f in figures.Where(f => f.HeldOutErrorByRidge.Count > 0))
                    sb.AppendLine(c, $"- {r.Bits} bits, {modality}, {f.Functions}: {string.Join(", ", f.HeldOutErrorByRidge.Select(x => string.Create(c, $"{x.Ridge:G1} → {x.Error:P1}")))}");
        return sb.ToString();
    }
}
