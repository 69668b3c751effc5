import TestSupport
import XCTest
@testable import Basics
@testable import Config
@testable import Sweep

/// The spec's `executor:` section: parsed with locations, merged through `extends`, overridden by
/// the command line, and never part of a run's identity.
final class ExecutorSettingsTests: XCTestCase {
    let resolver = ToyRunConfig.resolver

    func plan(_ yaml: String, file: String = "spec.yaml", in directory: TemporaryDirectory = TemporaryDirectory()) throws -> SweepPlan {
        let path = directory.write(file, yaml)
        return try SweepPlanner(resolver: resolver).plan(try SweepSpec.load(file: path))
    }

    func testSlurmSectionIsReadAndLeavesRunIDsAlone() throws {
        let plain = try plan("sweep: s\ngrid: {train.lr: [0.001, 0.002]}\n")
        let onSlurm = try plan("""
            sweep: s
            grid: {train.lr: [0.001, 0.002]}
            executor:
              slurm:
                partition: gpu
                time: "4:00:00"
                mem: 16G
                cpus_per_task: 4
                gpus_per_task: 1
                array_parallelism: 20
                signal_grace: 300
                sbatch_options: [--exclusive]
                setup: [module load openblas]
            """)
        XCTAssertEqual(onSlurm.runs.map(\.id), plain.runs.map(\.id))
        let slurm = onSlurm.executor.slurm
        XCTAssertEqual(slurm.partition, "gpu")
        XCTAssertEqual(slurm.time, "4:00:00")
        XCTAssertEqual(slurm.mem, "16G")
        XCTAssertEqual(slurm.cpusPerTask, 4)
        XCTAssertEqual(slurm.gpusPerTask, "1")
        XCTAssertEqual(slurm.arrayParallelism, 20)
        XCTAssertEqual(slurm.signalGrace, 300)
        XCTAssertEqual(slurm.sbatchOptions, ["--exclusive"])
        XCTAssertEqual(slurm.setup, ["module load openblas"])
        XCTAssertEqual(plain.executor, ExecutorSettings())
    }

    func testBadValuesAndUnknownKeysPointIntoTheFile() {
        let unknown = diagnosticText { try self.plan("sweep: s\nexecutor:\n  slurm:\n    partiton: gpu\n", file: "u.yaml") }
        XCTAssertTrue(unknown.hasSuffix("u.yaml:4:5: error: unknown key 'partiton' in 'slurm' (did you mean 'partition'?)"), unknown)
        let cpus = diagnosticText { try self.plan("sweep: s\nexecutor:\n  slurm: {cpus_per_task: 0}\n", file: "c.yaml") }
        XCTAssertTrue(cpus.hasSuffix("c.yaml:3:11: error: invalid value for 'slurm.cpus_per_task': expected at least 1, found 0"), cpus)
        let time = diagnosticText { try self.plan("sweep: s\nexecutor:\n  slurm: {time: 4h}\n", file: "t.yaml") }
        XCTAssertTrue(time.contains("t.yaml:3:11: error: invalid value for 'slurm.time': expected a Slurm time"), time)
        let grace = diagnosticText { try self.plan("sweep: s\nexecutor:\n  slurm: {time: 1, signal_grace: 120}\n", file: "g.yaml") }
        XCTAssertTrue(grace.contains("the time limit is 60 s: lower signal_grace"), grace)
        let option = diagnosticText { try self.plan("sweep: s\nexecutor:\n  slurm: {sbatch_options: [exclusive]}\n", file: "o.yaml") }
        XCTAssertTrue(option.contains("each line is one sbatch option starting with '-'"), option)
    }

    func testExtendsMergesTheSectionKeyByKeyAndTheCommandLineWins() throws {
        let directory = TemporaryDirectory()
        directory.write("site.yaml", "sweep: site\nexecutor:\n  slurm: {partition: cpu, account: lab, setup: [module load openblas]}\n")
        let child = try plan("extends: site.yaml\nsweep: child\nexecutor:\n  slurm: {partition: gpu}\n", file: "child.yaml", in: directory)
        XCTAssertEqual(child.executor.slurm.partition, "gpu")
        XCTAssertEqual(child.executor.slurm.account, "lab")

        var commandLine = SlurmSettings()
        commandLine.account = "other"
        commandLine.setup = ["source venv/bin/activate"]
        let merged = child.executor.slurm.overridden(by: commandLine)
        XCTAssertEqual(merged.partition, "gpu")
        XCTAssertEqual(merged.account, "other")
        XCTAssertEqual(merged.setup, ["module load openblas", "source venv/bin/activate"])
    }

    func testSlurmTimeForms() {
        let cases: [(String, Int?)] = [
            ("30", 1800), ("30:15", 1815), ("4:00:00", 14_400), ("1-12", 129_600), ("1-12:30", 131_400),
            ("2-00:00:01", 172_801), ("4h", nil), ("", nil), ("1:2:3:4", nil), ("-5", nil), ("UNLIMITED", nil),
        ]
        for (text, seconds) in cases { XCTAssertEqual(SlurmSettings.seconds(ofTime: text), seconds, text) }
    }
}
