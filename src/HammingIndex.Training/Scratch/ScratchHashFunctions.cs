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

    /// <summary>
    /// The default: chooses between <see cref="Joint"/> and <see cref="CodeRegression"/> on a seeded
    /// validation split of the training rows (<see cref="HashFunctionChoice"/>): SCRATCH is trained
    /// once more on the other training rows with both kinds of functions, the validation rows are
    /// encoded as queries against the encoded other rows, and the code regression is chosen only when
    /// its MAP is at least the joint functions' in both directions. Rows outside the training set are
    /// never read. The model holds both kinds and encodes with the chosen one
    /// (<see cref="ScratchModel.HashFunctions"/> names it; <see cref="ScratchTrainingResult.HashFunctionChoice"/> has the figures).
    /// Training costs about twice as much as with a fixed kind.
    /// </summary>
    Validated,
}
