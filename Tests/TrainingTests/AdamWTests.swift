import XCTest
@testable import Training

final class AdamWTests: XCTestCase {
    /// Two updates of one parameter, against values worked by hand (PyTorch AdamW order).
    func testTwoUpdatesMatchHandValues() {
        let optimizer = AdamW(parameterCount: 1, settings: .init(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01))
        let parameter = UnsafeMutablePointer<Float>.allocate(capacity: 1)
        let gradient = UnsafeMutablePointer<Float>.allocate(capacity: 1)
        defer { parameter.deallocate(); gradient.deallocate() }
        parameter[0] = 1
        gradient[0] = 0.5
        optimizer.update(parameters: parameter, gradients: gradient, learningRate: 0.1)
        // p = 1·(1 − 0.1·0.01) − 0.1 · 0.5/(√0.25 + 1e-8)
        XCTAssertEqual(parameter[0], 0.899, accuracy: 1e-6)
        XCTAssertEqual(optimizer.firstMoments[0], 0.05, accuracy: 1e-7)
        XCTAssertEqual(optimizer.secondMoments[0], 0.00025, accuracy: 1e-8)
        gradient[0] = -0.25
        optimizer.update(parameters: parameter, gradients: gradient, learningRate: 0.1)
        // m = 0.02, v = 0.00031225, m̂ = 0.02/0.19, v̂ = 0.00031225/0.001999
        XCTAssertEqual(parameter[0], 0.8714673, accuracy: 2e-6)
        XCTAssertEqual(optimizer.updateCount, 2)
    }

    func testZeroGradientOnlyDecays() {
        let optimizer = AdamW(parameterCount: 2, settings: .init(weightDecay: 0.5))
        var parameters: [Float] = [2, -4]
        let gradients: [Float] = [0, 0]
        parameters.withUnsafeMutableBufferPointer { p in
            gradients.withUnsafeBufferPointer { g in
                optimizer.update(parameters: p.baseAddress!, gradients: g.baseAddress!, learningRate: 0.1)
            }
        }
        XCTAssertEqual(parameters[0], 2 * 0.95, accuracy: 1e-6)
        XCTAssertEqual(parameters[1], -4 * 0.95, accuracy: 1e-6)
    }

    func testStateRoundTripsAndRejectsWrongLayout() throws {
        let optimizer = AdamW(parameterCount: 3, settings: .init())
        var parameters: [Float] = [1, 2, 3]
        let gradients: [Float] = [0.1, -0.2, 0.3]
        parameters.withUnsafeMutableBufferPointer { p in
            gradients.withUnsafeBufferPointer { g in
                optimizer.update(parameters: p.baseAddress!, gradients: g.baseAddress!, learningRate: 0.01)
            }
        }
        let restored = AdamW(parameterCount: 3, settings: .init())
        try restored.restore(from: optimizer.serialized())
        XCTAssertEqual(restored.updateCount, 1)
        for i in 0..<6 { XCTAssertEqual(restored.moments[i], optimizer.moments[i]) }
        XCTAssertThrowsError(try AdamW(parameterCount: 4, settings: .init()).restore(from: optimizer.serialized()))
    }

    func testGlobalNormClipping() {
        var gradients: [Float] = [3, 4]
        let norm = gradients.withUnsafeMutableBufferPointer {
            GradientClipping.clip($0.baseAddress!, count: 2, maxNorm: 1)
        }
        XCTAssertEqual(norm, 5, accuracy: 1e-9)
        XCTAssertEqual(gradients[0], 0.6, accuracy: 1e-5)
        XCTAssertEqual(gradients[1], 0.8, accuracy: 1e-5)
        // Below the threshold nothing changes.
        var small: [Float] = [0.3, 0.4]
        let smallNorm = small.withUnsafeMutableBufferPointer { GradientClipping.clip($0.baseAddress!, count: 2, maxNorm: 1) }
        XCTAssertEqual(smallNorm, 0.5, accuracy: 1e-7)
        XCTAssertEqual(small, [0.3, 0.4])
    }
}

final class AdamWDecayRangeTests: XCTestCase {
    func testOnlyDecayedRangesShrink() {
        let optimizer = AdamW(parameterCount: 4, settings: .init(weightDecay: 0.5), decayedRanges: [1..<3])
        var parameters: [Float] = [1, 1, 1, 1]
        let gradients: [Float] = [0, 0, 0, 0]
        parameters.withUnsafeMutableBufferPointer { p in
            gradients.withUnsafeBufferPointer { g in
                optimizer.update(parameters: p.baseAddress!, gradients: g.baseAddress!, learningRate: 0.1)
            }
        }
        XCTAssertEqual(parameters, [1, 0.95, 0.95, 1])
    }
}
