namespace HammingIndex.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.Error.WriteLine("hamming: not implemented yet");
        return 1;
    }
}
