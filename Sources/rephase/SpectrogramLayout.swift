import ArgumentParser
import RephaseIO

/// Which dimension of a .npy spectrogram holds the frames. `analyze` writes (frames, values);
/// librosa, and most PyTorch models, lay spectrograms out as (values, frames), with values 257
/// bins or BANDS mel bands. `auto` reads either, whichever the shape allows, and refuses a
/// square array it cannot tell apart.
enum SpectrogramLayout: String, CaseIterable, ExpressibleByArgument {
    case auto
    case framesFirst = "frames-first"
    case framesLast = "frames-last"

    /// `matrix` as (frames, values): transposed when its frames are its columns.
    /// `hint` ends the message of a shape that does not fit.
    func frames(of matrix: NpyMatrix, values: Int, kind: String, path: String, hint: String = "") throws(UserError) -> NpyMatrix {
        let shape = "'\(path)' has shape (\(matrix.rows), \(matrix.columns))"
        switch self {
        case .framesFirst:
            guard matrix.columns == values else { throw UserError("\(shape); with --layout frames-first it needs \(values) \(kind) per row\(hint)") }
            return matrix
        case .framesLast:
            guard matrix.rows == values else { throw UserError("\(shape); with --layout frames-last it needs \(values) \(kind) per column\(hint)") }
            return matrix.transposed
        case .auto:
            switch (matrix.rows == values, matrix.columns == values) {
            case (true, true):
                throw UserError("\(shape): its frames cannot be told from its \(kind); say which with --layout frames-first or frames-last")
            case (false, true): return matrix
            case (true, false): return matrix.transposed
            case (false, false): throw UserError("\(shape); it needs \(values) \(kind) per frame, as (frames, \(values)) or (\(values), frames)\(hint)")
            }
        }
    }

    /// `matrix` (frames, values) laid out as this layout writes it (`auto` writes frames first).
    func written(_ matrix: NpyMatrix) -> NpyMatrix {
        self == .framesLast ? matrix.transposed : matrix
    }
}
