import TestSupport
import XCTest
@testable import Basics
@testable import Config

final class CanonicalHashingTests: XCTestCase {
    func testKeyOrderAndWhitespaceDoNotMatter() throws {
        let a = try YAMLLoader.load(yaml: "b: 1\na: {y: [1, 2], x: s}\n", file: "a")
        let b = try YAMLLoader.load(yaml: "a:\n  x: s\n  y:\n    - 1\n    - 2\nb: 1\n", file: "b")
        XCTAssertEqual(try CanonicalJSON.string(a), #"{"a":{"x":"s","y":[1,2]},"b":1}"#)
        XCTAssertEqual(try CanonicalJSON.string(a), try CanonicalJSON.string(b))
    }

    func testNumberFormsAreCanonical() throws {
        let forms = try YAMLLoader.load(yaml: "a: 1e-3\nb: 0.001\nc: 1.0\nd: 1\ne: 1e0\nf: 2.5e-05\ng: -0.0\nh: 1e300\n", file: "n")
        XCTAssertEqual(try CanonicalJSON.string(forms), #"{"a":0.001,"b":0.001,"c":1,"d":1,"e":1,"f":2.5e-05,"g":0,"h":1e+300}"#)
        let nan = try YAMLLoader.load(yaml: "x: .nan\n", file: "nan.yaml")
        XCTAssertTrue(diagnosticText { try CanonicalJSON.string(nan) }.hasPrefix("nan.yaml:1:4: error:"))
    }

    func testStringsAreEscaped() throws {
        let tree = ConfigTree.map([ConfigEntry(key: "k", value: .scalar(.string("a\"b\\c\nd\u{01}é")))])
        XCTAssertEqual(try CanonicalJSON.string(tree), "{\"k\":\"a\\\"b\\\\c\\nd\\u0001é\"}")
        XCTAssertEqual(try JSONTreeParser.parse(try CanonicalJSON.string(tree))["k"]?.string, "a\"b\\c\nd\u{01}é")
    }

    func testDefaultsAreFilledBeforeHashing() throws {
        func id(_ yaml: String) throws -> String { try runID(yaml, resolver: ToyRunConfig.resolver) }
        let implicit = try id("train: {steps: 100}\n")
        XCTAssertEqual(implicit, try id("train: {lr: 1.0e-3, steps: 100}\nreward.correctness.granularity: original\n"))
        XCTAssertEqual(implicit, try id("{}\n"))
        XCTAssertNotEqual(implicit, try id("train: {steps: 101}\n"))
        XCTAssertNotEqual(implicit, try id("seed: 1\n"))
    }

    func testIdentityLeavesOutKeysAtTheirDefault() throws {
        func tree(_ json: String) throws -> ConfigTree { try JSONTreeParser.parse(json) }
        let today = try RunIdentity(config: try tree(#"{"seed": 0, "train": {"lr": 0.1, "steps": 5}}"#),
                                    defaults: try tree(#"{"seed": 0, "train": {"lr": 0.001, "steps": 5}}"#), defaultsVersion: 1)
        XCTAssertEqual(today.text, #"{"config":{"train":{"lr":0.1}},"defaults_version":1}"#)
        XCTAssertEqual(today.id, SHA256.hex(today.text))
        // A later version adds `train.warmup` (default 0) and `eval` (a section of defaults): a run
        // that leaves them at their default keeps its id.
        let upgraded = try RunIdentity(
            config: try tree(#"{"seed": 0, "train": {"lr": 0.1, "steps": 5, "warmup": 0}, "eval": {"every": 50}}"#),
            defaults: try tree(#"{"seed": 0, "train": {"lr": 0.001, "steps": 5, "warmup": 0}, "eval": {"every": 50}}"#),
            defaultsVersion: 1)
        XCTAssertEqual(upgraded.id, today.id)
        let warmed = try RunIdentity(
            config: try tree(#"{"seed": 0, "train": {"lr": 0.1, "steps": 5, "warmup": 10}, "eval": {"every": 50}}"#),
            defaults: try tree(#"{"seed": 0, "train": {"lr": 0.001, "steps": 5, "warmup": 0}, "eval": {"every": 50}}"#),
            defaultsVersion: 1)
        XCTAssertNotEqual(warmed.id, today.id)
        // A changed default is a new defaults version: every id changes.
        let bumped = try RunIdentity(config: today.config, defaults: try tree(#"{"seed": 0, "train": {"lr": 0.01, "steps": 5}}"#),
                                     defaultsVersion: 2)
        XCTAssertNotEqual(bumped.id, today.id)
        // Numbers compare by value (1 and 1.0 are one default); lists compare whole.
        let same = try RunIdentity(config: try tree(#"{"a": 1.0, "b": [0, 1]}"#), defaults: try tree(#"{"a": 1, "b": [0, 1.0]}"#),
                                   defaultsVersion: 1)
        XCTAssertEqual(same.text, #"{"config":{},"defaults_version":1}"#)
    }
}
