using HammingIndex.Training.Datasets;

namespace HammingIndex.Training.Tests.Datasets;

/// <summary>A fact that needs a data set fetched by scripts/fetch-data.sh into .data/; skipped with a message when it is absent.</summary>
public sealed class DataFactAttribute : FactAttribute
{
    public DataFactAttribute(string subdirectory, string marker)
    {
        if (DataDirectory.Find(subdirectory, marker) is null)
            Skip = $".data/{subdirectory} not found: run scripts/fetch-data.sh (unit tests do not need it).";
    }
}
