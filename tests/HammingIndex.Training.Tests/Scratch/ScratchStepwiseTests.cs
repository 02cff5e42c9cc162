using HammingIndex.Training.Kernelization;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Training.Tests.Scratch;

/// <summary>
/// Every block update of SCRATCH is the exact minimizer of the objective in its block, so the
/// objective, evaluated directly from its definition, can never increase from one step to the next.
/// </summary>
public class ScratchStepwiseTests
{
    private sealed record Setup(ScratchSolver Solver, double[] X, double[] Y, FeatureMatrix Labels, ScratchOptions Options);

    private static Setup Create(ScratchOptions options, int n = 300, int seed = 1)
    {
        var data = PairedData.Create(n, 6, 4, 3, seed);
        var imageMap = RbfKernelMap.Fit(data.Image, options.Anchors, seed + 10);
        var textMap = RbfKernelMap.Fit(data.Text, options.Anchors, seed + 20);
        var solver = new ScratchSolver(data.Image, data.Text, data.Labels, imageMap, textMap, options, seed + 30);
        return new Setup(solver, imageMap.Transform(data.Image), textMap.Transform(data.Text), data.Labels, options);
    }

    /// <summary>The objective of issue 4, term by term, with samples as rows (x_i = row i of X).</summary>
    private static double DirectObjective(Setup s)
    {
        var v = s.Solver;
        var o = s.Options;
        int n = s.Labels.Rows, r = o.Bits, ax = v.ImageMap.AnchorCount, ay = v.TextMap.AnchorCount, c = s.Labels.Columns;
        double rx = 0, ry = 0, rl = 0, rb = 0, wx = 0, wy = 0, cx = 0, cy = 0;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> vi = v.V.AsSpan(i * r, r);
            for (int j = 0; j < ax; j++) { double e = s.X[i * ax + j] - Dot(v.Ux.AsSpan(j * r, r), vi); rx += e * e; }
            for (int j = 0; j < ay; j++) { double e = s.Y[i * ay + j] - Dot(v.Uy.AsSpan(j * r, r), vi); ry += e * e; }
            for (int k = 0; k < c; k++) { double e = s.Labels.Row(i)[k] - Dot(v.G.AsSpan(k * r, r), vi); rl += e * e; }
            for (int p = 0; p < r; p++)
            {
                double e = v.B[i * r + p] - Dot(v.R.AsSpan(p * r, r), vi);
                rb += e * e;
                double hx = 0, hy = 0;
                for (int j = 0; j < ax; j++) hx += v.WxT[j * r + p] * s.X[i * ax + j];
                for (int j = 0; j < ay; j++) hy += v.WyT[j * r + p] * s.Y[i * ay + j];
                wx += (vi[p] - hx) * (vi[p] - hx);
                wy += (vi[p] - hy) * (vi[p] - hy);
                // Code coupling: b_i against the rotated hash outputs R Wx x_i, R Wy y_i.
                double gx = 0, gy = 0;
                for (int q = 0; q < r; q++)
                {
                    double hxq = 0, hyq = 0;
                    for (int j = 0; j < ax; j++) hxq += v.WxT[j * r + q] * s.X[i * ax + j];
                    for (int j = 0; j < ay; j++) hyq += v.WyT[j * r + q] * s.Y[i * ay + j];
                    gx += v.R[p * r + q] * hxq;
                    gy += v.R[p * r + q] * hyq;
                }
                cx += (v.B[i * r + p] - gx) * (v.B[i * r + p] - gx);
                cy += (v.B[i * r + p] - gy) * (v.B[i * r + p] - gy);
            }
        }
        double reg = Dot(v.Ux, v.Ux) + Dot(v.Uy, v.Uy) + Dot(v.G, v.G) + Dot(v.WxT, v.WxT) + Dot(v.WyT, v.WyT) + Dot(v.V, v.V);
        return o.LambdaX * rx + (1 - o.LambdaX) * ry + o.Alpha * rl + rb + o.Mu * (wx + wy) + o.ImageCodeCoupling * cx + o.TextCodeCoupling * cy + o.Gamma * reg;
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    public static TheoryData<double, double, double, double, int, double, double> Settings => new()
    {
        { 0.5, 500, 1000, 5, 8, 0, 0 },    // the defaults, 8 bits
        { 0.3, 2, 3, 0.5, 5, 0, 0 },       // small weights, odd code length
        { 1.0, 0, 10, 1, 13, 0, 0 },       // text reconstruction and labels switched off
        { 0.5, 500, 1000, 5, 8, 0, 10 },   // text code coupling only (the unsupervised trainer's knob)
        { 0.3, 2, 3, 0.5, 7, 0.5, 2 },     // both couplings, comparable to the other weights
        { 0.5, 10, 100, 1, 9, 1000, 0 },   // image coupling far above mu
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void ObjectiveNeverIncreasesAfterAnyBlockUpdate(double lambdaX, double alpha, double mu, double gamma, int bits, double imageCoupling, double textCoupling)
    {
        var options = new ScratchOptions
        {
            LambdaX = lambdaX, Alpha = alpha, Mu = mu, Gamma = gamma, Bits = bits, Anchors = 20,
            ImageCodeCoupling = imageCoupling, TextCodeCoupling = textCoupling,
        };
        var s = Create(options);
        var solver = s.Solver;
        var steps = new (string Name, Action Run)[]
        {
            ("B", solver.StepB), ("Ux", solver.StepUx), ("Uy", solver.StepUy), ("G", solver.StepG),
            ("Wx", solver.StepWx), ("Wy", solver.StepWy), ("V", solver.StepV), ("R", solver.StepR),
        };
        double previous = DirectObjective(s);
        for (int iteration = 1; iteration <= 5; iteration++)
        {
            foreach (var (name, run) in steps)
            {
                run();
                double current = DirectObjective(s);
                Assert.True(current <= previous + 1e-9 * Math.Abs(previous),
                    $"iteration {iteration}, step {name}: objective rose from {previous:R} to {current:R}");
                previous = current;
            }
            // The objective the trainer logs (from sample sums) is the same number.
            Assert.Equal(previous, solver.Objective(), previous * 1e-8);
        }
    }

    [Fact]
    public void AStepThatIsNotAMinimizerIsCaught()
    {
        // Guards the test above: perturbing a block after its update must raise the objective.
        var s = Create(new ScratchOptions { Bits = 8, Anchors = 20 });
        s.Solver.StepUx();
        double optimal = DirectObjective(s);
        s.Solver.Ux[3] += 1e-3;
        Assert.True(DirectObjective(s) > optimal);
    }

    [Fact]
    public void CodeCouplingPullsTheCodesTowardsThatModalitysHashOutput()
    {
        // Guards the coupling: with a large βy the training codes agree with sign(R Wy y) on more bits than without.
        double Agreement(double textCoupling)
        {
            var s = Create(new ScratchOptions { Bits = 8, Anchors = 20, TextCodeCoupling = textCoupling });
            for (int i = 0; i < 5; i++) s.Solver.RunIteration();
            var v = s.Solver;
            int r = 8, ay = v.TextMap.AnchorCount, n = s.Labels.Rows, agree = 0;
            for (int i = 0; i < n; i++)
                for (int p = 0; p < r; p++)
                {
                    double g = 0;
                    for (int q = 0; q < r; q++)
                    {
                        double h = 0;
                        for (int j = 0; j < ay; j++) h += v.WyT[j * r + q] * s.Y[i * ay + j];
                        g += v.R[p * r + q] * h;
                    }
                    if ((g >= 0 ? 1 : -1) == v.B[i * r + p]) agree++;
                }
            return agree / (double)(n * r);
        }
        double uncoupled = Agreement(0), coupled = Agreement(100);
        Assert.True(coupled > uncoupled, $"agreement with the text hash output: {coupled:P1} coupled, {uncoupled:P1} uncoupled");
        // R moves after the sign step of the last iteration, so a few bits may still disagree.
        Assert.True(coupled > 0.95, $"agreement {coupled:P1} with βy = 100 ({uncoupled:P1} uncoupled)");
    }

    [Fact]
    public void TheFusedIterationEqualsTheSeparateSteps()
    {
        var options = new ScratchOptions { Bits = 12, Anchors = 20 };
        var fused = Create(options).Solver;
        var stepwise = Create(options).Solver;
        for (int i = 0; i < 3; i++)
        {
            fused.RunIteration();
            stepwise.StepB(); stepwise.StepUx(); stepwise.StepUy(); stepwise.StepG();
            stepwise.StepWx(); stepwise.StepWy(); stepwise.StepV(); stepwise.StepR();
        }
        Assert.Equal(stepwise.B, fused.B);
        for (int i = 0; i < fused.V.Length; i++) Assert.Equal(stepwise.V[i], fused.V[i], 1e-12);
        for (int i = 0; i < fused.R.Length; i++) Assert.Equal(stepwise.R[i], fused.R[i], 1e-12);
    }

    [Fact]
    public void StreamingAndThreadCountDoNotChangeTheResult()
    {
        var cached = Create(new ScratchOptions { Bits = 16, Anchors = 20, MaxDegreeOfParallelism = 2 }, n: 700).Solver;
        var streamed = Create(new ScratchOptions { Bits = 16, Anchors = 20, KernelCacheBytes = 0, MaxDegreeOfParallelism = 1 }, n: 700).Solver;
        Assert.True(cached.CachesKernelFeatures);
        Assert.False(streamed.CachesKernelFeatures);
        for (int i = 0; i < 3; i++)
        {
            cached.RunIteration();
            streamed.RunIteration();
        }
        Assert.Equal(cached.V, streamed.V);
        Assert.Equal(cached.B, streamed.B);
        Assert.Equal(cached.R, streamed.R);
    }
}
