import Basics
import Foundation

/// `model.json`: what is needed to rebuild a `Transformer` around `parameters.bin`.
public struct ModelDescription: Codable, Equatable {
    public var config: ModelConfig
    public var vocabularySize: Int
    public var parameterCount: Int
    public var views: [ParameterView]

    enum CodingKeys: String, CodingKey {
        case config
        case vocabularySize = "vocabulary_size"
        case parameterCount = "parameter_count"
        case views
    }
}

extension Transformer {
    public static let parametersFileName = "parameters.bin"
    public static let descriptionFileName = "model.json"

    /// What `model.json` holds for this model.
    var modelDescription: ModelDescription {
        ModelDescription(config: config, vocabularySize: vocabularySize, parameterCount: parameters.count, views: parameters.views)
    }

    /// Writes `parameters.bin` and `model.json` into `directory` (which must exist).
    public func save(to directory: URL) throws {
        try FloatBufferFile.write(UnsafePointer(parameters.pointer), count: parameters.count,
                                  to: directory.appendingPathComponent(Transformer.parametersFileName))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let url = directory.appendingPathComponent(Transformer.descriptionFileName)
        do {
            try AtomicFile.write(try encoder.encode(modelDescription), to: url.path)
        } catch {
            throw ModelFileError("cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    /// Rebuilds a model from `model.json` and `parameters.bin` in `directory`; its outputs are
    /// bit-for-bit those of the saved model.
    public static func load(from directory: URL) throws -> Transformer {
        let url = directory.appendingPathComponent(descriptionFileName)
        let description: ModelDescription
        do {
            description = try JSONDecoder().decode(ModelDescription.self, from: Data(contentsOf: url))
        } catch {
            throw ModelFileError("cannot read \(url.path): \(error)")
        }
        let layout = TransformerLayout(config: description.config, vocabularySize: description.vocabularySize)
        guard layout.views == description.views else {
            throw ModelFileError("\(url.path): its parameter views do not match the layout of its config; the file was written by an incompatible version")
        }
        let parameters = ParameterBuffer(views: layout.views)
        try FloatBufferFile.read(from: directory.appendingPathComponent(parametersFileName), into: [parameters.buffer])
        return Transformer(config: description.config, vocabularySize: description.vocabularySize, parameters: parameters)
    }
}
