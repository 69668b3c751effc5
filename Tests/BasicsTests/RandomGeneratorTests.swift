import XCTest
@testable import Basics

final class RandomGeneratorTests: XCTestCase {
    func testSeedingAndJSONRoundTripAreExact() throws {
        var a = RandomGenerator(seed: 123), b = RandomGenerator(seed: 123), c = RandomGenerator(seed: 124)
        XCTAssertEqual((0..<5).map { _ in a.next() }, (0..<5).map { _ in b.next() })
        XCTAssertNotEqual(a.next(), c.next())
        let saved = try JSONEncoder().encode(a)
        var restored = try JSONDecoder().decode(RandomGenerator.self, from: saved)
        XCTAssertEqual(restored, a)
        XCTAssertEqual((0..<100).map { _ in restored.next() }, (0..<100).map { _ in a.next() })
        XCTAssertThrowsError(try JSONDecoder().decode(RandomGenerator.self, from: Data(#"{"state": ["1", "zz"]}"#.utf8)))
    }

    func testDistributions() {
        var random = RandomGenerator(seed: 9)
        let n = 20_000
        let uniforms = (0..<n).map { _ in random.nextDouble() }
        XCTAssertTrue(uniforms.allSatisfy { $0 >= 0 && $0 < 1 })
        XCTAssertEqual(uniforms.reduce(0, +) / Double(n), 0.5, accuracy: 0.01)
        let floats = (0..<n).map { _ in random.nextFloat() }
        XCTAssertTrue(floats.allSatisfy { $0 >= 0 && $0 < 1 })
        let normals = (0..<n).map { _ in random.nextNormal(mean: 1, standardDeviation: 2) }
        let mean = normals.reduce(0, +) / Double(n)
        let variance = normals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
        XCTAssertEqual(mean, 1, accuracy: 0.05)
        XCTAssertEqual(variance.squareRoot(), 2, accuracy: 0.05)
        let ints = (0..<n).map { _ in random.nextInt(below: 7) }
        XCTAssertEqual(Set(ints), Set(0..<7))
    }
}
