import XCTest
@testable import Basics
@testable import Model

/// The rotary position embedding kernel: its backward against finite differences (both ways of
/// giving positions), and the property it exists for: a query–key score depends on the distance
/// between the two positions only.
final class RotaryTests: XCTestCase {
    func testRotaryGradient() {
        var random = RandomGenerator(seed: 41)
        let B = 2, T = 3, NH = 2, hs = 4, C = NH * hs, N = B * T
        let table = RotaryTable(positionCount: 7, headSize: hs)
        let listed: [Int32] = [0, 6, 2, 5, 1, 3]
        let inp = FloatStorage(random: N * 3 * C, generator: &random)
        let weights = FloatStorage(random: N * 3 * C, generator: &random)
        let qkv = FloatStorage(N * 3 * C)
        for (label, positions) in [("sequences", RotaryPositions.sequences(length: T)), ("listed", nil)] {
            listed.withUnsafeBufferPointer { listedPositions in
                let positions = positions ?? .listed(listedPositions.baseAddress!)
                let loss: () -> Double = {
                    qkv.pointer.update(from: inp.pointer, count: qkv.count)
                    Rotary.forward(qkv: qkv.pointer, positions: positions, rows: N, channels: C, heads: NH, table: table)
                    return weightedSum(qkv.pointer, weights.pointer, qkv.count)
                }
                _ = loss()
                // The gradient of Σ w·x' with respect to x': the weights; backward turns them back.
                let dInp = FloatStorage(N * 3 * C)
                dInp.pointer.update(from: weights.pointer, count: dInp.count)
                Rotary.backward(qkvGradient: dInp.pointer, positions: positions, rows: N, channels: C, heads: NH, table: table)
                checkGradient("rotary (\(label))", input: inp.pointer, analytic: dInp.pointer,
                              indices: Array(0..<inp.count), loss: loss)
                // Values pass through untouched, and so does position 0.
                _ = loss()
                for n in 0..<N {
                    for c in 0..<C { XCTAssertEqual(qkv.pointer[n * 3 * C + 2 * C + c], inp.pointer[n * 3 * C + 2 * C + c]) }
                }
                for c in 0..<(2 * C) { XCTAssertEqual(qkv.pointer[c], inp.pointer[c]) }
            }
        }
    }

    func testScoresDependOnRelativePositionOnly() {
        var random = RandomGenerator(seed: 42)
        let NH = 1, hs = 8, C = hs
        let table = RotaryTable(positionCount: 40, headSize: hs)
        let row = FloatStorage(random: 3 * C, generator: &random)
        /// q of the row placed at position i against k of the same row placed at position j.
        func score(query i: Int32, key j: Int32) -> Float {
            let two = FloatStorage(2 * 3 * C)
            two.pointer.update(from: row.pointer, count: 3 * C)
            (two.pointer + 3 * C).update(from: row.pointer, count: 3 * C)
            let positions: [Int32] = [i, j]
            positions.withUnsafeBufferPointer {
                Rotary.forward(qkv: two.pointer, positions: .listed($0.baseAddress!), rows: 2, channels: C, heads: NH, table: table)
            }
            return (0..<hs).reduce(0) { $0 + two.pointer[$1] * two.pointer[3 * C + C + $1] }
        }
        XCTAssertEqual(score(query: 5, key: 2), score(query: 35, key: 32), accuracy: 1e-4)
        XCTAssertEqual(score(query: 9, key: 9), score(query: 0, key: 0), accuracy: 1e-4)
        XCTAssertNotEqual(score(query: 5, key: 2), score(query: 5, key: 4), accuracy: 1e-3)
    }
}
