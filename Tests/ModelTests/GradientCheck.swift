import XCTest
@testable import Basics
@testable import Model

/// Small helpers shared by the gradient tests: owned float arrays, random fills, and a
/// central-difference check that reports the largest relative difference.
final class FloatStorage {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int
    init(_ count: Int, fill: Float = 0) {
        self.count = count
        pointer = .allocate(capacity: max(1, count))
        pointer.initialize(repeating: fill, count: max(1, count))
    }
    convenience init(random count: Int, scale: Float = 1, generator: inout RandomGenerator) {
        self.init(count)
        for i in 0..<count { pointer[i] = Float(generator.nextNormal()) * scale }
    }
    deinit { pointer.deallocate() }
    var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
    func zero() { pointer.update(repeating: 0, count: count) }
}

/// Σ weights·values in Double.
func weightedSum(_ values: UnsafePointer<Float>, _ weights: UnsafePointer<Float>, _ count: Int) -> Double {
    var total = 0.0
    for i in 0..<count { total += Double(values[i]) * Double(weights[i]) }
    return total
}

/// Compares `analytic[i]` with (loss(x+ε) − loss(x−ε))/2ε for the chosen indices of `input`.
/// A coordinate fails when |a − n| > absoluteTolerance + relativeTolerance·max(|a|, |n|).
func checkGradient(_ label: String, input: UnsafeMutablePointer<Float>, analytic: UnsafePointer<Float>,
                   indices: [Int], epsilon: Float = 1e-2, relativeTolerance: Double = 1e-2,
                   absoluteTolerance: Double = 1e-4, loss: () -> Double,
                   file: StaticString = #filePath, line: UInt = #line) {
    var worstRelative = 0.0
    var worstIndex = -1
    var failures = 0
    for i in indices {
        let saved = input[i]
        input[i] = saved + epsilon
        let plus = loss()
        input[i] = saved - epsilon
        let minus = loss()
        input[i] = saved
        let numeric = (plus - minus) / (2 * Double(epsilon))
        let exact = Double(analytic[i])
        let difference = abs(exact - numeric)
        let relative = difference / max(abs(exact), abs(numeric), 1e-8)
        if difference > absoluteTolerance + relativeTolerance * max(abs(exact), abs(numeric)) {
            failures += 1
            if relative > worstRelative || worstIndex < 0 {
                worstRelative = relative
                worstIndex = i
            }
        }
    }
    XCTAssertEqual(failures, 0, "\(label): \(failures)/\(indices.count) coordinates differ; worst relative difference \(worstRelative) at index \(worstIndex)", file: file, line: line)
}

/// Up to `limit` indices spread over 0..<count (all of them when count ≤ limit).
func sampleIndices(_ count: Int, limit: Int, generator: inout RandomGenerator) -> [Int] {
    if count <= limit { return Array(0..<count) }
    var chosen = Set<Int>()
    while chosen.count < limit { chosen.insert(generator.nextInt(below: count)) }
    return chosen.sorted()
}
