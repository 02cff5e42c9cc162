namespace HammingIndex.Training.Scratch;

/// <summary>Progress of SCRATCH training after one iteration.</summary>
/// <param name="Iteration">The iteration just finished, 1-based.</param>
/// <param name="Iterations">Iterations in total.</param>
/// <param name="Objective">The objective value after the iteration.</param>
/// <param name="Elapsed">Time since training started (kernel fitting included).</param>
public readonly record struct ScratchIterationReport(int Iteration, int Iterations, double Objective, TimeSpan Elapsed);
