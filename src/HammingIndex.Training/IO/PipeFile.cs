using System.IO.Pipelines;

namespace HammingIndex.Training.IO;

/// <summary>Opens files for streamed reading through a <see cref="PipeReader"/>.</summary>
internal static class PipeFile
{
    /// <summary>Read size: large enough to amortize system calls, small enough to bound memory.</summary>
    public const int BufferSize = 1 << 20;

    /// <summary>Opens <paramref name="path"/> for sequential reading; a missing file throws <see cref="FileNotFoundException"/> naming it.</summary>
    public static (FileStream Stream, PipeReader Reader) OpenRead(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file.", path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0,
            FileOptions.SequentialScan | FileOptions.Asynchronous);
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: BufferSize, minimumReadSize: BufferSize / 4, leaveOpen: false));
        return (stream, reader);
    }

    /// <summary>Opens <paramref name="path"/> for writing (created or truncated), buffered.</summary>
    public static FileStream OpenWrite(string path) =>
        new(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: BufferSize);
}
