namespace HammingIndex.Training.Tests;

public class FeatureMatrixTests
{
    [Fact]
    public void WrapsItsArrayRowMajorWithoutCopying()
    {
        double[] values = [1, 2, 3, 4, 5, 6];
        var m = new FeatureMatrix(2, 3, values);
        Assert.Same(values, m.Values);
        Assert.Equal(2, m.Rows);
        Assert.Equal(3, m.Columns);
        Assert.Equal(4, m[1, 0]);
        Assert.Equal([4.0, 5, 6], m.Row(1).ToArray());
        m[0, 2] = 30;
        m.Row(1)[1] = 50;
        Assert.Equal([1.0, 2, 30, 4, 50, 6], values);
        Assert.Equal("2 x 3 feature matrix", m.ToString());
    }

    [Fact]
    public void TheShapeMustMatchTheValues()
    {
        Assert.Equal(new double[12], new FeatureMatrix(4, 3).Values);
        Assert.Empty(new FeatureMatrix(0, 5).Values);
        var e = Assert.Throws<ArgumentException>(() => new FeatureMatrix(2, 3, new double[5]));
        Assert.Equal("values", e.ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentOutOfRangeException>(() => new FeatureMatrix(-1, 3)).ParamName);
        Assert.Equal("columns", Assert.Throws<ArgumentOutOfRangeException>(() => new FeatureMatrix(1, -3, [])).ParamName);
        Assert.Equal("values", Assert.Throws<ArgumentNullException>(() => new FeatureMatrix(1, 1, null!)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FeatureMatrix(int.MaxValue, 2));
    }

    [Fact]
    public void IndexesAndRowsAreRangeChecked()
    {
        var m = new FeatureMatrix(2, 3);
        Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => m.Row(2)).ParamName);
        Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => m.Row(-1)).ParamName);
        Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => m[2, 0]).ParamName);
        Assert.Equal("column", Assert.Throws<ArgumentOutOfRangeException>(() => m[0, 3] = 1).ParamName);
    }

    [Fact]
    public void FromArrayCopiesRowByRow()
    {
        var source = new double[,] { { 1, 2, 3 }, { 4, 5, 6 } };
        var m = FeatureMatrix.FromArray(source);
        Assert.Equal(2, m.Rows);
        Assert.Equal(3, m.Columns);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], m.Values);
        source[0, 0] = 100;
        Assert.Equal(1, m[0, 0]);
        Assert.Throws<ArgumentNullException>(() => FeatureMatrix.FromArray(null!));
    }

    [Fact]
    public void SelectingRowsOrColumnsCopiesThemInTheGivenOrder()
    {
        var m = new FeatureMatrix(3, 2, [1, 2, 3, 4, 5, 6]);
        FeatureMatrix rows = m.SelectRows([2, 0, 2]);
        Assert.Equal([5.0, 6, 1, 2, 5, 6], rows.Values);
        FeatureMatrix columns = m.SelectColumns([1, 1, 0]);
        Assert.Equal(3, columns.Columns);
        Assert.Equal([2.0, 2, 1, 4, 4, 3, 6, 6, 5], columns.Values);
        rows[0, 0] = -1;
        Assert.Equal(5, m[2, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.SelectRows([3]));
        Assert.Equal("columns", Assert.Throws<ArgumentOutOfRangeException>(() => m.SelectColumns([2])).ParamName);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void TheFirstNonFiniteValueIsNamedByParameterRowAndColumn(double bad)
    {
        var m = new FeatureMatrix(3, 4);
        m.ThrowIfNotFinite("m");
        m[2, 1] = bad;
        m[2, 3] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => m.ThrowIfNotFinite("features"));
        Assert.Equal("features", e.ParamName);
        Assert.Contains("row 2, column 1", e.Message);
    }
}
