import XCTest
@testable import Model

final class ParameterFileTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("model-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testModelRoundTripIsBitExact() throws {
        try checkRoundTrip(ModelConfig(dim: 8, layers: 2, heads: 2, mlpDim: 12, context: 6))
        try checkRoundTrip(ModelConfig(dim: 8, layers: 2, heads: 2, mlpDim: 12, context: 6, positions: .rope))
        // model.json records the setting (the last round trip wrote it).
        let json = try String(contentsOf: directory.appendingPathComponent("model.json"), encoding: .utf8)
        XCTAssertTrue(json.contains(#""positions" : "rope""#), json)
    }

    func checkRoundTrip(_ config: ModelConfig) throws {
        let model = Transformer(config: config, vocabularySize: 15, seed: 77)
        model.parameters.pointer[3] = .leastNonzeroMagnitude   // subnormals survive too
        model.parameters.pointer[4] = -0.0
        try model.save(to: directory)
        let loaded = try Transformer.load(from: directory)
        XCTAssertEqual(loaded.config, config)
        XCTAssertEqual(loaded.parameters.views, model.parameters.views)
        XCTAssertEqual(Array(loaded.parameters.buffer).map(\.bitPattern), Array(model.parameters.buffer).map(\.bitPattern))
        let tokens: [Int32] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
        let expected = Array(UnsafeBufferPointer(start: model.forward(tokens: tokens, batchSize: 2, sequenceLength: 6), count: 12 * 15))
        let actual = Array(UnsafeBufferPointer(start: loaded.forward(tokens: tokens, batchSize: 2, sequenceLength: 6), count: 12 * 15))
        XCTAssertEqual(actual.map(\.bitPattern), expected.map(\.bitPattern))
        let description = try JSONDecoder().decode(ModelDescription.self,
                                                    from: Data(contentsOf: directory.appendingPathComponent("model.json")))
        XCTAssertEqual(description.parameterCount, model.parameters.count)
        XCTAssertEqual(description.views.first?.name, "token_embedding")
    }

    func testFloatBuffersAndBadFiles() throws {
        let url = directory.appendingPathComponent("optimizer.bin")
        let first: [Float] = [1, -2.5, .pi, .infinity]
        let second: [Float] = [0.1, 7]
        try first.withUnsafeBufferPointer { a in
            try second.withUnsafeBufferPointer { b in try FloatBufferFile.write([a, b], to: url) }
        }
        XCTAssertEqual(try FloatBufferFile.read(from: url), first + second)
        var a = [Float](repeating: 0, count: 4), b = [Float](repeating: 0, count: 2)
        try a.withUnsafeMutableBufferPointer { pa in
            try b.withUnsafeMutableBufferPointer { pb in try FloatBufferFile.read(from: url, into: [pa, pb]) }
        }
        XCTAssertEqual(a, first)
        XCTAssertEqual(b, second)
        var wrong = [Float](repeating: 0, count: 5)
        XCTAssertThrowsError(try wrong.withUnsafeMutableBufferPointer { try FloatBufferFile.read(from: url, into: [$0]) }) {
            XCTAssertTrue("\($0)".contains("6 values but 5 were expected"), "\($0)")
        }
        var bytes = try Data(contentsOf: url)
        bytes.removeLast(3)
        try bytes.write(to: url)
        XCTAssertThrowsError(try FloatBufferFile.read(from: url)) { XCTAssertTrue("\($0)".contains("truncated"), "\($0)") }
        try Data("hello world, not floats".utf8).write(to: url)
        XCTAssertThrowsError(try FloatBufferFile.read(from: url)) { XCTAssertTrue("\($0)".contains("bad magic"), "\($0)") }
    }
}
