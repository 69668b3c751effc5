import Basics
import Foundation
import TestSupport
import XCTest

/// The base policies committed under `models/`: each file is the one its `provenance.json`
/// hashes, and `ablate train` starting from it makes the evaluation `provenance.json` recorded,
/// item by item (greedy decoding is deterministic, so any change to the files, the tokenizer, the
/// model or the inference path shows here).
final class ShippedModelTests: XCTestCase {
    private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func testEveryShippedModelMatchesItsProvenance() throws {
        let models = repository.appendingPathComponent("models")
        let names = try FileManager.default.contentsOfDirectory(atPath: models.path)
            .filter { FileManager.default.fileExists(atPath: models.appendingPathComponent($0 + "/provenance.json").path) }
        XCTAssertTrue(names.contains("world-base"), "models/world-base is what the quickstart starts from")
        for name in names.sorted() { try check(models.appendingPathComponent(name)) }
    }

    private func check(_ model: URL) throws {
        let provenance = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(contentsOf: model.appendingPathComponent("provenance.json"))) as? [String: Any])
        let files = try XCTUnwrap(provenance["files"] as? [String: String], "\(model.path): files")
        XCTAssertEqual(Set(files.keys), ["parameters.bin", "model.json", "tokenizer.json"])
        var total = 0
        for (file, expected) in files {
            let bytes = try [UInt8](Data(contentsOf: model.appendingPathComponent(file)))
            total += bytes.count
            XCTAssertEqual(SHA256.hex(bytes: bytes), expected, "\(model.lastPathComponent)/\(file)")
        }
        XCTAssertLessThanOrEqual(total, 10_000_000, "a shipped model stays within 10 MB")
        let training = try XCTUnwrap(provenance["training"] as? [String: Any])
        for key in ["spec", "command", "commit", "config"] { XCTAssertNotNil(training[key], "training.\(key)") }
        let spec = try XCTUnwrap(training["spec"] as? String)
        XCTAssertTrue(FileManager.default.fileExists(atPath: repository.appendingPathComponent(spec).path), spec)

        // The recorded check: its config, starting from this directory, evaluated by `ablate train`.
        let check = try XCTUnwrap(provenance["check"] as? [String: Any])
        let (harness, splits) = try train(try XCTUnwrap(check["config"] as? [String: Any]), from: model)
        let recorded = try XCTUnwrap(check["figures"] as? [String: [String: Double]])
        XCTAssertFalse(recorded.isEmpty)
        for (split, figures) in recorded {
            for (figure, value) in figures {
                let measured = try XCTUnwrap(splits[split]?[figure] as? Double, "\(split).\(figure)")
                XCTAssertEqual(measured, value, accuracy: 1e-12, "\(model.lastPathComponent): \(split).\(figure)")
            }
        }
        let lines = try String(contentsOfFile: harness.root + "/out/completions.jsonl", encoding: .utf8)
            .split(separator: "\n")
        let outcomes = try lines.map { line -> [String: AnyHashable] in
            let item = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return ["id": try XCTUnwrap(item["id"] as? String), "exact": try XCTUnwrap(item["exact"] as? Bool)]
        }
        let recordedItems = try XCTUnwrap(check["items"] as? [[String: Any]]).map { item -> [String: AnyHashable] in
            ["id": item["id"] as? String ?? "", "exact": item["exact"] as? Bool ?? false]
        }
        XCTAssertEqual(outcomes, recordedItems)
        XCTAssertTrue(recordedItems.contains { $0["exact"] == AnyHashable(true) }, "the check includes a right call")
    }

    /// `eval.samples`: at a temperature near 0 every sample is the greedy completion, so
    /// `pass_at_k` and `sampled_accuracy` equal greedy `accuracy` split by split (and the greedy
    /// figures stay what `provenance.json` recorded); at temperature 1 they are reproducible and
    /// ordered (the share of items with a right sample is at least the share of right samples).
    func testSampledEvaluationOfTheShippedBase() throws {
        let model = repository.appendingPathComponent("models/world-base")
        let provenance = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(contentsOf: model.appendingPathComponent("provenance.json"))) as? [String: Any])
        let check = try XCTUnwrap(provenance["check"] as? [String: Any])
        let recorded = try XCTUnwrap(check["figures"] as? [String: [String: Double]])
        func evaluate(samples: Int, temperature: Double) throws -> [String: [String: Any]] {
            var config = try XCTUnwrap(check["config"] as? [String: Any])
            var eval = try XCTUnwrap(config["eval"] as? [String: Any])
            eval["samples"] = samples
            eval["temperature"] = temperature
            eval["splits"] = ["seen"]   // 4 items, one of them right: enough, and quick in a debug build
            config["eval"] = eval
            return try train(config, from: model).splits
        }

        let nearGreedy = try evaluate(samples: 2, temperature: 1e-6)
        let recordedAccuracy = try XCTUnwrap(recorded["seen"]?["accuracy"])
        for split in ["seen", "overall"] {   // with only `seen` decoded, `overall` is `seen`
            let accuracy = try XCTUnwrap(nearGreedy[split]?["accuracy"] as? Double, split)
            XCTAssertEqual(accuracy, recordedAccuracy, accuracy: 1e-12, split)
            XCTAssertEqual(try XCTUnwrap(nearGreedy[split]?["pass_at_k"] as? Double, split), accuracy, accuracy: 1e-12, split)
            XCTAssertEqual(try XCTUnwrap(nearGreedy[split]?["sampled_accuracy"] as? Double, split), accuracy, accuracy: 1e-12, split)
        }

        let sampled = try evaluate(samples: 2, temperature: 1)
        let again = try evaluate(samples: 2, temperature: 1)
        for split in ["seen", "overall"] {
            let pass = try XCTUnwrap(sampled[split]?["pass_at_k"] as? Double, split)
            let rate = try XCTUnwrap(sampled[split]?["sampled_accuracy"] as? Double, split)
            XCTAssertGreaterThanOrEqual(pass, rate, split)
            XCTAssertLessThanOrEqual(pass, 1, split)
            XCTAssertEqual(again[split]?["pass_at_k"] as? Double, pass, split)
            XCTAssertEqual(again[split]?["sampled_accuracy"] as? Double, rate, split)
        }
    }

    /// `ablate train` on `config` with `init` set to `model`: the harness that holds its output
    /// (`out/` under `harness.root`) and its final evaluation's splits.
    private func train(_ config: [String: Any], from model: URL) throws -> (harness: SweepHarness, splits: [String: [String: Any]]) {
        var config = config
        config["init"] = model.path
        let harness = try SweepHarness()
        harness.write("check.json", String(decoding: try JSONSerialization.data(withJSONObject: config), as: UTF8.self))
        let run = try harness.ablate(["train", "check.json", "--out", "out"])
        XCTAssertEqual(run.status, 0, run.output)
        let evaluation = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: harness.root + "/out/eval.json"))) as? [String: Any])
        return (harness, try XCTUnwrap(evaluation["splits"] as? [String: [String: Any]]))
    }
}
