using FsCheck;
using FsCheck.Fluent;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Training.Tests.Scratch;

public class CholeskySolverTests
{
    [Fact]
    public void SolutionTimesTheMatrixGivesBackTheRightHandSide()
    {
        var shapes = (from order in Gen.Choose(1, 100) from columns in Gen.Choose(1, 20) from seed in Gen.Choose(0, 1000) select (order, columns, seed)).ToArbitrary();
        Prop.ForAll(shapes, s =>
        {
            var (order, columns, seed) = s;
            var random = new Random(seed);
            // S = Aᵀ A + I is symmetric positive definite.
            double[] a = PairedData.Gaussian(random, order * order);
            var spd = new double[order * order];
            MatrixProducts.TransposeMultiplyAdd(a, a, spd, order, order, order);
            for (int i = 0; i < order; i++) spd[i * order + i] += 1;
            double[] rhs = PairedData.Gaussian(random, order * columns);
            var solution = (double[])rhs.Clone();
            var solver = new CholeskySolver(spd, order);
            solver.SolveInPlace(solution, columns);
            var back = new double[order * columns];
            MatrixProducts.Multiply(spd, solution, back, order, order, columns);
            double[] inverse = solver.Inverse(2);
            var identity = new double[order * order];
            MatrixProducts.Multiply(spd, inverse, identity, order, order, order);
            for (int i = 0; i < order * columns; i++)
                if (Math.Abs(back[i] - rhs[i]) > 1e-8 * (1 + Math.Abs(rhs[i]))) return false;
            for (int i = 0; i < order; i++)
                for (int j = 0; j < order; j++)
                    if (Math.Abs(identity[i * order + j] - (i == j ? 1 : 0)) > 1e-8) return false;
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void AnIndefiniteMatrixIsRefused()
    {
        Assert.Throws<ArgumentException>(() => new CholeskySolver([1, 2, 2, 1], 2));
    }
}
