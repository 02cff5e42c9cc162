using HammingIndex.Training.Datasets;

namespace HammingIndex.Training.Tests.Datasets;

/// <summary>A fact that needs the Wiki .npy files (../shared/data/wiki); skipped with a message when they are absent.</summary>
public sealed class WikiFactAttribute : FactAttribute
{
    public WikiFactAttribute()
    {
        if (WikiDataset.FindDirectory() is null)
            Skip = $"Wiki data not found (../shared/data/wiki or ${WikiDataset.DirectoryVariable}); unit tests do not need it.";
    }
}
