using HammingIndex.CrashWriter;
using HammingIndex.Storage;

// Usage: crash-writer <store path> <bits> <block capacity> <seed> [tail <flushed> <unflushed> | fill]
// Default mode: opens (or creates) the store and loops forever: append a batch, delete what the
// workload dooms, flush (or compact), then print "F <next sequence>" once that state is durable.
// Tail mode: appends <flushed> codes, flushes, appends <unflushed> more, prints "T", and waits to be killed.
string path = args[0];
int bits = int.Parse(args[1]);
int capacity = int.Parse(args[2]);
var random = new Random(int.Parse(args[3]));
var options = new CodeStoreOptions { BlockCapacity = capacity };

if (args.Length > 4 && args[4] == "fill")
{
    // Fill mode: creates a store and appends until the file system refuses (run under a file-size
    // limit); prints "E <exception type>" and the message of the error the store threw.
    using CodeStore filled = CodeStore.Create(path, bits, options);
    try
    {
        for (long s = 0; ; s++)
        {
            filled.Append(CrashWorkload.CodeFor(filled.Layout, s), s);
            if (s % 1000 == 999) filled.Flush();
        }
    }
    catch (IOException e)
    {
        Console.Out.WriteLine($"E {e.GetType().Name}");
        Console.Out.WriteLine(e.Message);
        Console.Out.Flush();
        Environment.Exit(0);
    }
}
CodeStore store = File.Exists(path) ? CodeStore.Open(path) : CodeStore.Create(path, bits, options);
long next = 0;
if (store.Count > 0)
{
    using CodeStoreSnapshot snapshot = store.AcquireSnapshot();
    next = snapshot.GetId(snapshot.Count - 1) + 1;
}
Console.Out.WriteLine($"O {next}");
Console.Out.Flush();

long deleteCursor = Math.Max(0, next - CrashWorkload.DeleteLag);

if (args.Length > 4 && args[4] == "tail")
{
    AppendBatch(int.Parse(args[5]));
    store.Flush();
    AppendBatch(int.Parse(args[6]));
    Console.Out.WriteLine("T");
    Console.Out.Flush();
    Thread.Sleep(Timeout.Infinite);
}

while (true)
{
    AppendBatch(random.Next(1, CrashWorkload.MaxBatch + 1));
    if (random.Next(12) == 0) store.Compact();
    else store.Flush();
    Console.Out.WriteLine($"F {next}");
    Console.Out.Flush();
}

// Appends the next codes of the workload and deletes what it dooms at the new sequence number.
void AppendBatch(int count)
{
    for (int i = 0; i < count; i++, next++) store.Append(CrashWorkload.CodeFor(store.Layout, next), next);
    for (; deleteCursor < next - CrashWorkload.DeleteLag; deleteCursor++)
    {
        if (CrashWorkload.Doomed(deleteCursor)) store.TryDelete(deleteCursor);
    }
}
