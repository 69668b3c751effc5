import TestSupport
import XCTest
@testable import Benchmarks

/// `ablate bench --config`: GRPO steps of a run config, timed per phase with the FLOPs done.
final class ConfigBenchmarkTests: XCTestCase {
    func testTimesTheStepsOfARunConfig() throws {
        var config = tinyRunConfig(steps: 2)
        config.task.preset = .tiny
        let result = try PolicyBenchmark.run(config: config, steps: 1, threads: 1)
        XCTAssertEqual(result.phases.map(\.name), ["sampling", "reference_forward", "policy_forward_backward", "optimizer", "reward"])
        for name in ["sampling", "reference_forward", "policy_forward_backward", "optimizer"] {
            XCTAssertGreaterThan(result.phases.first { $0.name == name }!.gflop, 0, name)
        }
        XCTAssertNil(result.phases[0].gflopUnshared, "only W1 knows the unshared work")
        XCTAssertEqual(result.stepGFLOP, result.phases.reduce(0) { $0 + $1.gflop }, accuracy: 1e-9)
        var sft = config
        sft.train.algorithm = .sft
        XCTAssertThrowsError(try PolicyBenchmark.run(config: sft, steps: 1, threads: 1))
    }
}
