import CSampleRate

/// Converts mono audio between sample rates with libsamplerate's best sinc converter, so
/// files at 8, 22.05, 44.1 or 48 kHz can go through the 16 kHz pipeline.
public enum Resampler {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// `samples` at `from` Hz as `to` Hz; the result has round(count * to / from) samples.
    public static func resample(_ samples: [Float], from: Int, to: Int) throws(Failure) -> [Float] {
        guard from != to else { return samples }
        guard from > 0, to > 0 else { throw Failure(description: "invalid sample rates \(from) -> \(to) Hz") }
        let ratio = Double(to) / Double(from)
        let outputCount = Int((Double(samples.count) * ratio).rounded())
        // libsamplerate's ratio must lie within [1/256, 256].
        guard ratio >= 1.0 / 256, ratio <= 256 else {
            throw Failure(description: "cannot convert \(from) Hz to \(to) Hz (ratio beyond 256)")
        }
        var output = [Float](repeating: 0, count: outputCount + 16)
        var input = samples
        let status = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var data = SRC_DATA()
                data.data_in = UnsafePointer(inBuffer.baseAddress)
                data.input_frames = Int(samples.count)
                data.data_out = outBuffer.baseAddress
                data.output_frames = Int(outBuffer.count)
                data.src_ratio = ratio
                data.end_of_input = 1
                let status = src_simple(&data, Int32(SRC_SINC_BEST_QUALITY), 1)
                return status == 0 ? Int32(data.output_frames_gen) : -status
            }
        }
        guard status >= 0 else {
            throw Failure(description: "resampling failed: \(String(cString: src_strerror(-status)))")
        }
        var result = Array(output[0..<min(Int(status), outputCount)])
        result += [Float](repeating: 0, count: outputCount - result.count)
        return result
    }
}
