import Foundation
import Model
import RunStore

/// AdamW (Loshchilov & Hutter) on one flat parameter buffer: bias-corrected moments and weight
/// decay decoupled from the gradient (PyTorch's `torch.optim.AdamW` update order).
///
/// The moments live in one allocation owned by the optimiser, laid out like the parameters.
public final class AdamW {
    public struct Settings: Equatable, Sendable {
        var beta1: Float
        var beta2: Float
        public var epsilon: Float
        public var weightDecay: Float
        public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
            self.beta1 = beta1
            self.beta2 = beta2
            self.epsilon = epsilon
            self.weightDecay = weightDecay
        }
    }

    public let parameterCount: Int
    public var settings: Settings
    /// Updates applied so far; the next update uses bias correction for `updateCount + 1`.
    private(set) var updateCount: Int = 0
    /// [2 * parameterCount]: first moments, then second moments.
    let moments: UnsafeMutablePointer<Float>

    /// Index ranges that get weight decay (weight matrices, by convention); the rest
    /// (biases, norm gains) is not decayed. Default: everything.
    var decayedRanges: [Range<Int>]

    public init(parameterCount: Int, settings: Settings, decayedRanges: [Range<Int>]? = nil) {
        self.parameterCount = parameterCount
        self.settings = settings
        self.decayedRanges = decayedRanges ?? [0..<parameterCount]
        moments = .allocate(capacity: max(1, 2 * parameterCount))
        moments.initialize(repeating: 0, count: max(1, 2 * parameterCount))
    }

    deinit { moments.deallocate() }

    var firstMoments: UnsafeMutablePointer<Float> { moments }
    var secondMoments: UnsafeMutablePointer<Float> { moments + parameterCount }

    /// One update of `parameters` [parameterCount] from `gradients` [parameterCount].
    ///
    /// Legend: p parameter, g gradient, m/v first/second moment, t update number (1-based),
    /// lr learning rate, wd weight decay.
    ///   p ← p − lr·wd·p;  m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²
    ///   p ← p − lr · (m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε)
    public func update(parameters: UnsafeMutablePointer<Float>, gradients: UnsafePointer<Float>, learningRate: Float) {
        updateCount += 1
        let t = Double(updateCount)
        let correction1 = Float(1 - pow(Double(settings.beta1), t))
        let correction2 = Float(1 - pow(Double(settings.beta2), t))
        let decay = 1 - learningRate * settings.weightDecay
        var position = 0
        for range in decayedRanges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if range.lowerBound > position {
                step(position..<range.lowerBound, parameters, gradients, learningRate, 1, correction1, correction2)
            }
            step(range, parameters, gradients, learningRate, decay, correction1, correction2)
            position = max(position, range.upperBound)
        }
        if position < parameterCount {
            step(position..<parameterCount, parameters, gradients, learningRate, 1, correction1, correction2)
        }
    }

    @inline(__always)
    private func step(_ range: Range<Int>, _ parameters: UnsafeMutablePointer<Float>, _ gradients: UnsafePointer<Float>,
                      _ learningRate: Float, _ decay: Float, _ correction1: Float, _ correction2: Float) {
        let b1 = settings.beta1, b2 = settings.beta2, eps = settings.epsilon
        let m = moments, v = moments + parameterCount
        for i in range {
            let g = gradients[i]
            let mi = b1 * m[i] + (1 - b1) * g
            let vi = b2 * v[i] + (1 - b2) * g * g
            m[i] = mi
            v[i] = vi
            let mHat = mi / correction1
            let vHat = vi / correction2
            parameters[i] = parameters[i] * decay - learningRate * mHat / (vHat.squareRoot() + eps)
        }
    }

    /// Both moment arrays, first then second, as one buffer.
    private var momentBuffer: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: moments, count: 2 * parameterCount)
    }

    /// The file of a checkpoint directory (a step directory, or its `critic/`) that holds the moments.
    static let momentsFileName = "optimizer.bin"

    /// Writes both moment arrays into `directory`.
    func saveMoments(in directory: URL) throws {
        try FloatBufferFile.write([UnsafeBufferPointer(momentBuffer)], to: directory.appendingPathComponent(Self.momentsFileName))
    }

    /// Reads the moments `saveMoments` wrote into `directory`, `updates` updates in (the count
    /// the checkpoint's `trainer.json` keeps, for the bias correction).
    func restoreMoments(from directory: URL, updates: Int) throws {
        try FloatBufferFile.read(from: directory.appendingPathComponent(Self.momentsFileName), into: [momentBuffer])
        updateCount = updates
    }

    /// The optimiser state as bytes: update count (Int64), then both moment arrays (Float32,
    /// little-endian as the machine stores them).
    func serialized() -> Data {
        var data = Data()
        var count = Int64(updateCount).littleEndian
        withUnsafeBytes(of: &count) { data.append(contentsOf: $0) }
        var length = Int64(parameterCount).littleEndian
        withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
        data.append(UnsafeBufferPointer(start: moments, count: 2 * parameterCount))
        return data
    }

    /// Restores a state written by `serialized()`; throws if it belongs to a different layout.
    func restore(from data: Data) throws {
        let expected = 16 + 8 * parameterCount
        guard data.count == expected else {
            throw CheckpointError("optimizer state has \(data.count) bytes, expected \(expected) for \(parameterCount) parameters")
        }
        data.withUnsafeBytes { raw in
            let count = raw.loadUnaligned(fromByteOffset: 0, as: Int64.self)
            updateCount = Int(Int64(littleEndian: count))
            let source = raw.baseAddress!.advanced(by: 16)
            memcpy(moments, source, 8 * parameterCount)
        }
    }
}

/// Global-norm gradient clipping, as `torch.nn.utils.clip_grad_norm_`.
enum GradientClipping {
    /// √(Σ g²) over the whole buffer, accumulated in Double.
    static func globalNorm(_ gradients: UnsafePointer<Float>, count: Int) -> Double {
        var sum = 0.0
        for i in 0..<count { let g = Double(gradients[i]); sum += g * g }
        return sum.squareRoot()
    }

    /// Scales `gradients` so that their global norm is at most `maxNorm` (no-op when
    /// `maxNorm <= 0`). Returns the norm before clipping (the `grad_norm` metric).
    @discardableResult
    static func clip(_ gradients: UnsafeMutablePointer<Float>, count: Int, maxNorm: Double) -> Double {
        let norm = globalNorm(gradients, count: count)
        guard maxNorm > 0, norm.isFinite, norm > maxNorm else { return norm }
        let scale = Float(maxNorm / (norm + 1e-6))
        for i in 0..<count { gradients[i] *= scale }
        return norm
    }
}

extension AdamW {
    /// The optimiser `train` asks for over `model`'s parameters (weight decay on matrices only).
    public convenience init(model: Transformer, train: TrainConfig) {
        self.init(parameterCount: model.parameterCount, settings: Settings(
            beta1: Float(train.adamBeta1), beta2: Float(train.adamBeta2), epsilon: Float(train.adamEps),
            weightDecay: Float(train.weightDecay)),
            decayedRanges: model.parameters.views.filter(\.isMatrix).map { $0.offset..<($0.offset + $0.count) })
    }
}
