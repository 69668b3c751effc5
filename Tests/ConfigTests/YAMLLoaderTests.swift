import TestSupport
import XCTest
@testable import Config

final class YAMLLoaderTests: XCTestCase {
    func testCoreSchemaTypesAndQuotedStrings() throws {
        let tree = try YAMLLoader.load(yaml: """
            a: 1e-3
            b: yes
            c: "12"
            d: 12
            e: true
            f: ~
            g: 0x1F
            h: .5
            i: 1.0
            j: '1e-3'
            k: !!str 7
            l: +3
            m: 1_000
            """, file: "t.yaml")
        XCTAssertEqual(tree["a"]?.scalar, .double(0.001))
        XCTAssertEqual(tree["b"]?.scalar, .string("yes"))
        XCTAssertEqual(tree["c"]?.scalar, .string("12"))
        XCTAssertEqual(tree["d"]?.scalar, .int(12))
        XCTAssertEqual(tree["e"]?.scalar, .bool(true))
        XCTAssertEqual(tree["f"]?.scalar, .null)
        XCTAssertEqual(tree["g"]?.scalar, .int(31))
        XCTAssertEqual(tree["h"]?.scalar, .double(0.5))
        XCTAssertEqual(tree["i"]?.scalar, .double(1.0))
        XCTAssertEqual(tree["j"]?.scalar, .string("1e-3"))
        XCTAssertEqual(tree["k"]?.scalar, .string("7"))
        XCTAssertEqual(tree["l"]?.scalar, .int(3))
        XCTAssertEqual(tree["m"]?.scalar, .string("1_000"))
    }

    func testLocationsOfKeysAndValues() throws {
        let tree = try YAMLLoader.load(yaml: "top:\n  inner: [1, 2]\n  other: x\n", file: "loc.yaml")
        let inner = try XCTUnwrap(tree["top"]?.entry("inner"))
        XCTAssertEqual(inner.keyLocation?.description, "loc.yaml:2:3")
        XCTAssertEqual(inner.value.location?.description, "loc.yaml:2:10")
        XCTAssertEqual(inner.value.items?[1].location?.description, "loc.yaml:2:14")
        XCTAssertEqual(tree["top"]?["other"]?.location?.description, "loc.yaml:3:10")
    }

    func testAnchorsAliasesAndMergeKeys() throws {
        let tree = try YAMLLoader.load(yaml: """
            defaults: &d {lr: 0.1, steps: 5}
            copy: *d
            merged:
              <<: *d
              steps: 9
            """, file: "a.yaml")
        XCTAssertEqual(tree["copy"]?["lr"]?.scalar, .double(0.1))
        XCTAssertEqual(tree["merged"]?["steps"]?.scalar, .int(9))
        XCTAssertEqual(tree["merged"]?["lr"]?.scalar, .double(0.1))
    }

    func testBillionLaughsIsRefused() {
        var yaml = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ")
            yaml += "l\(level): &l\(level) [\(refs)]\n"
        }
        let message = diagnosticText { try YAMLLoader.load(yaml: yaml, file: "lol.yaml") }
        XCTAssertTrue(message.hasPrefix("lol.yaml:"), message)
        XCTAssertTrue(message.contains("billion laughs"), message)
        XCTAssertTrue(message.contains("refusing"), message)
    }

    func testSyntaxAndDuplicateKeyErrorsHaveLocations() {
        let syntax = diagnosticText { try YAMLLoader.load(yaml: "a: [1, 2\nb: 3\n", file: "bad.yaml") }
        XCTAssertTrue(syntax.hasPrefix("bad.yaml:"), syntax)
        XCTAssertTrue(syntax.contains("error: invalid YAML"), syntax)
        let duplicate = diagnosticText { try YAMLLoader.load(yaml: "a: 1\nb: 2\na: 3\n", file: "dup.yaml") }
        XCTAssertTrue(duplicate.contains("key 'a' appears twice"), duplicate)
    }

    func testDottedKeysExpandAndConflictsAreErrors() throws {
        let tree = try YAMLLoader.load(yaml: "train.lr: 0.1\ntrain: {steps: 4}\n", file: "d.yaml").expandingDottedKeys()
        XCTAssertEqual(tree.value(atPath: "train.lr")?.scalar, .double(0.1))
        XCTAssertEqual(tree.value(atPath: "train.steps")?.scalar, .int(4))
        let conflict = diagnosticText { try YAMLLoader.load(yaml: "train.lr: 0.1\ntrain: {lr: 2}\n", file: "d.yaml").expandingDottedKeys() }
        XCTAssertEqual(conflict, "d.yaml:2:1: error: key 'train.lr' is given twice (also set at 1:1)")
    }
}
