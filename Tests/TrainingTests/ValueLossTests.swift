import Basics
import XCTest
@testable import Training

final class ValueLossTests: XCTestCase {
    /// V [1, 0, 2], V_old [0.5, 0, 0], R [0, 1, 2.5], c = 0.2: token 0 keeps its unclipped error
    /// (½·1 > ½·0.7²), token 1 has not moved, token 2 left the band (V_clip = 0.2, ½·2.3² > ½·0.5²).
    func testClippedValueLossByHand() {
        let values: [Float] = [1, 0, 2], old: [Float] = [0.5, 0, 0], returns: [Float] = [0, 1, 2.5]
        var gradients = [Float](repeating: .nan, count: 3)
        let stats = ValueLoss.compute(values: values, oldValues: old, returns: returns, mask: [1, 1, 1], count: 3, clip: 0.2,
                                      valueGradients: &gradients)
        XCTAssertEqual(stats.loss, (0.5 + 0.5 + 0.5 * 2.3 * 2.3) / 3, accuracy: 1e-6)
        XCTAssertEqual(stats.clipFraction, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(gradients[0], 1.0 / 3, accuracy: 1e-7)
        XCTAssertEqual(gradients[1], -1.0 / 3, accuracy: 1e-7)
        XCTAssertEqual(gradients[2], 0)
        let plain = ValueLoss.compute(values: values, oldValues: old, returns: returns, mask: [1, 1, 0], count: 3, clip: nil,
                                      valueGradients: &gradients)
        XCTAssertEqual(plain.loss, 0.5, accuracy: 1e-7)
        XCTAssertEqual(plain.clipFraction, 0)
        XCTAssertEqual(gradients, [0.5, -0.5, 0])
    }

    func testGradientMatchesFiniteDifferences() {
        var generator = SplitMix64(seed: 29)
        let count = 12
        let old = (0..<count).map { _ in Float(generator.nextUnit() * 2 - 1) }
        var values = old.map { $0 + Float(generator.nextUnit() * 1.2 - 0.6) }
        var returns = (0..<count).map { _ in Float(generator.nextUnit() * 4 - 2) }
        // Tokens 0 and 1 moved 0.5 towards their returns, past the band c = 0.3: clipped.
        for index in 0..<2 {
            returns[index] = old[index] + 1
            values[index] = old[index] + 0.5
        }
        let mask: [Float] = [1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1]
        for clip: Float? in [nil, 0.3] {
            var gradients = [Float](repeating: 0, count: count)
            let stats = ValueLoss.compute(values: values, oldValues: old, returns: returns, mask: mask, count: count, clip: clip,
                                          valueGradients: &gradients)
            if clip != nil { XCTAssertGreaterThan(stats.clipFraction, 0, "the data must exercise the clip") }
            var scratch = [Float](repeating: 0, count: count)
            for index in 0..<count {
                var plus = values, minus = values
                plus[index] += 1e-3
                minus[index] -= 1e-3
                let numeric = (ValueLoss.compute(values: plus, oldValues: old, returns: returns, mask: mask, count: count, clip: clip,
                                                 valueGradients: &scratch).loss
                    - ValueLoss.compute(values: minus, oldValues: old, returns: returns, mask: mask, count: count, clip: clip,
                                        valueGradients: &scratch).loss) / 2e-3
                XCTAssertEqual(Double(gradients[index]), numeric, accuracy: 1e-3, "clip \(String(describing: clip)) token \(index)")
            }
        }
    }

    func testExplainedVariance() {
        let returns: [Double] = [1, 2, 3, 4]
        XCTAssertEqual(ValueLoss.explainedVariance(values: returns, returns: returns, mask: [1, 1, 1, 1]), 1, accuracy: 1e-9)
        XCTAssertEqual(ValueLoss.explainedVariance(values: [7, 7, 7, 7], returns: returns, mask: [1, 1, 1, 1]), 0, accuracy: 1e-4)
        // Half the spread predicted: Var(R − V) = Var(R)/4.
        XCTAssertEqual(ValueLoss.explainedVariance(values: returns.map { $0 / 2 }, returns: returns, mask: [1, 1, 1, 1]), 0.75,
                       accuracy: 1e-4)
    }
}
