namespace HammingIndex.Training.Scratch;

/// <summary>Which out-of-sample hash functions a SCRATCH model encodes new rows with.</summary>
public enum ScratchHashFunctions
{
    /// <summary>
    /// The authors' functions, learned inside the objective: code(x) = sign(R Wx phi(x)), where Wx is
    /// a ridge regression of the continuous V (not of the codes B) with the tiny ridge gamma / mu.
    /// </summary>
    Joint,

    /// <summary>
    /// Two-step functions fitted to the learned codes after training: per modality and
    /// bit, a kernel ridge regression of B's ±1 column on the kernel features plus a bias,
    /// code(x) = sign(Pᵀ phi(x) + c), the ridge chosen by k-fold cross-validation on the training
    /// rows (<see cref="ScratchOptions.HashRidge"/>). One streamed pass of Gram sums and one of
    /// held-out scores, linear in n. The learned codes B, and so the authors'-protocol database, are
    /// unchanged; the hash functions reproduce them more closely.
    /// </summary>
    CodeRegression,
}
