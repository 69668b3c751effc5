import Basics
import Foundation

/// A critic: a transformer trunk with a scalar value head on the final-normed hidden state of
/// every position, as veRL's PPO runs its critic — a separate model of the policy's kind whose
/// LM head is replaced by a value head. The trunk's token embedding stays (it embeds the input);
/// its tied LM head is unused.
///
/// Shapes: tokens [B, T] (or a `PrefixBatch` of R scored rows); hidden h [B, T, C] (or [R, C]);
/// values [B, T] (or [R]) with V = h·w + b.
/// Parameters: one allocation, the trunk's views (`TransformerLayout`) then `value_head.weight`
/// [1, C] and `value_head.bias` [1]; gradients have the same layout. Init: the trunk as GPT-2
/// (or copied from a policy of the same shape), the head weight normal(0, init_std), bias 0.
public final class ValueModel {
    public let trunk: Transformer
    let headWeight: Int
    let headBias: Int
    private var values: UnsafeMutablePointer<Float>
    private var hiddenGradients: UnsafeMutablePointer<Float>
    private var capacity = 0
    private var lastHidden: (pointer: UnsafePointer<Float>, rows: Int)?

    /// The views of a value model over `config`: the transformer's, then the head's.
    static func views(config: ModelConfig, vocabularySize: Int) -> [ParameterView] {
        let trunk = TransformerLayout(config: config, vocabularySize: vocabularySize).views
        let end = trunk.last.map { $0.offset + $0.count } ?? 0
        return trunk + [ParameterView(name: "value_head.weight", offset: end, shape: [1, config.dim]),
                        ParameterView(name: "value_head.bias", offset: end + config.dim, shape: [1])]
    }

    init(trunk: Transformer) {
        self.trunk = trunk
        headWeight = trunk.parameters.view(named: "value_head.weight")!.offset
        headBias = trunk.parameters.view(named: "value_head.bias")!.offset
        values = .allocate(capacity: 1)
        hiddenGradients = .allocate(capacity: 1)
    }

    /// A fresh critic: the trunk initialised as a policy of `seed` would be, the head from `seed`.
    public convenience init(config: ModelConfig, vocabularySize: Int, seed: UInt64) {
        let parameters = ParameterBuffer(views: Self.views(config: config, vocabularySize: vocabularySize))
        TransformerLayout(config: config, vocabularySize: vocabularySize).initialise(parameters, config: config, seed: seed)
        self.init(trunk: Transformer(config: config, vocabularySize: vocabularySize, parameters: parameters))
        initialiseHead(seed: seed)
    }

    /// A critic whose trunk starts as `policy` (same shape), the head fresh from `seed`.
    public convenience init(startingFrom policy: Transformer, seed: UInt64) {
        let parameters = ParameterBuffer(views: Self.views(config: policy.config, vocabularySize: policy.vocabularySize))
        parameters.pointer.update(from: policy.parameters.pointer, count: policy.parameters.count)
        self.init(trunk: Transformer(config: policy.config, vocabularySize: policy.vocabularySize, parameters: parameters))
        initialiseHead(seed: seed)
    }

    deinit {
        values.deallocate()
        hiddenGradients.deallocate()
    }

    private func initialiseHead(seed: UInt64) {
        var random = RandomGenerator(seed: seed ^ 0x7A1E_0000_0000_0001)
        let weight = parameters.pointer + headWeight
        for c in 0..<config.dim { weight[c] = Float(random.nextNormal(standardDeviation: config.initStd)) }
        parameters.pointer[headBias] = 0
    }

    public var config: ModelConfig { trunk.config }
    public var vocabularySize: Int { trunk.vocabularySize }
    public var parameters: ParameterBuffer { trunk.parameters }
    public var gradients: ParameterBuffer { trunk.gradients }
    public var parameterCount: Int { parameters.count }
    public func zeroGradients() { trunk.zeroGradients() }

    private func reserve(_ rows: Int) {
        guard rows > capacity else { return }
        values.deallocate()
        hiddenGradients.deallocate()
        values = .allocate(capacity: rows)
        hiddenGradients = .allocate(capacity: rows * config.dim)
        capacity = rows
    }

    /// Values [B, T] (owned by the model, valid until the next call) of every position of
    /// tokens [B, T]; stores what `backward` needs.
    public func forward(tokens: UnsafePointer<Int32>, batchSize B: Int, sequenceLength T: Int) -> UnsafePointer<Float> {
        head(trunk.forwardHidden(tokens: tokens, batchSize: B, sequenceLength: T), rows: B * T)
    }

    /// Values [R] of a prefix-shared batch's `logitRows` (each prompt once for its group).
    public func forward(_ batch: PrefixBatch) -> UnsafePointer<Float> {
        head(trunk.forwardHidden(batch), rows: batch.logitRowCount)
    }

    private func head(_ hidden: UnsafeMutablePointer<Float>, rows: Int) -> UnsafePointer<Float> {
        reserve(rows)
        Linear.forward(out: values, inp: hidden, weight: parameters.pointer + headWeight, bias: parameters.pointer + headBias,
                       rows: rows, inChannels: config.dim, outChannels: 1)
        lastHidden = (UnsafePointer(hidden), rows)
        return UnsafePointer(values)
    }

    /// d loss / d values ([B, T] or [R]) for the last `forward`; accumulates into `gradients`.
    public func backward(valueGradients: UnsafePointer<Float>) {
        guard let (hidden, rows) = lastHidden else { preconditionFailure("backward called before forward") }
        let C = config.dim
        hiddenGradients.update(repeating: 0, count: rows * C)
        Linear.backward(inpGradient: hiddenGradients, weightGradient: gradients.pointer + headWeight,
                        biasGradient: gradients.pointer + headBias, outGradient: valueGradients, inp: hidden,
                        weight: parameters.pointer + headWeight, rows: rows, inChannels: C, outChannels: 1)
        trunk.backward(hiddenGradients: hiddenGradients)
    }
}

extension ValueModel {
    /// Writes `parameters.bin` and `model.json` (its views include the value head) into `directory`.
    public func save(to directory: URL) throws {
        try trunk.save(to: directory)
    }

    /// A critic from `model.json` and `parameters.bin` in `directory`, written by `save`.
    public static func load(from directory: URL) throws -> ValueModel {
        let url = directory.appendingPathComponent(Transformer.descriptionFileName)
        let description: ModelDescription
        do {
            description = try JSONDecoder().decode(ModelDescription.self, from: Data(contentsOf: url))
        } catch {
            throw ModelFileError("cannot read \(url.path): \(error)")
        }
        let views = Self.views(config: description.config, vocabularySize: description.vocabularySize)
        guard description.views == views else {
            throw ModelFileError("\(url.path) does not describe a value model (a transformer with value_head.weight and value_head.bias)")
        }
        let parameters = ParameterBuffer(views: views)
        try FloatBufferFile.read(from: directory.appendingPathComponent(Transformer.parametersFileName), into: [parameters.buffer])
        return ValueModel(trunk: Transformer(config: description.config, vocabularySize: description.vocabularySize,
                                             parameters: parameters))
    }
}
