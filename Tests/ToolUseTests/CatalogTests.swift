import XCTest
@testable import Basics
@testable import ToolUse

final class CatalogTests: XCTestCase {
    func testMainCatalogSizeAndDomains() {
        let catalog = ToolCatalog.main
        XCTAssertGreaterThanOrEqual(catalog.definitions.count, 40)
        XCTAssertGreaterThanOrEqual(catalog.domains.count, 8)
        XCTAssertEqual(catalog.unseenDefinitions.count, catalog.domains.count, "one held-out tool per domain")
        let training = Set(catalog.trainingDefinitions.map(\.name))
        XCTAssertTrue(training.isDisjoint(with: catalog.unseenDefinitions.map(\.name)))
    }

    func testPretrainingCatalogIsDisjointFromMain() {
        let mainNames = Set(ToolCatalog.main.definitions.map(\.name))
        let pretraining = ToolCatalog.pretraining
        XCTAssertGreaterThanOrEqual(pretraining.definitions.count, 12)
        XCTAssertTrue(mainNames.isDisjoint(with: pretraining.definitions.map(\.name)))
        XCTAssertTrue(Set(ToolCatalog.main.domains).isDisjoint(with: pretraining.domains))
    }

    func testCatalogUsesEveryParameterType() {
        var kinds = Set<String>()
        for tool in ToolCatalog.main.definitions {
            for parameter in tool.parameters {
                switch parameter.type {
                case .enumeration: kinds.insert("enum")
                case .array: kinds.insert("array")
                default: kinds.insert(parameter.type.schemaName)
                }
            }
        }
        XCTAssertEqual(kinds, ["string", "integer", "number", "boolean", "enum", "array"])
        let optional = ToolCatalog.main.definitions.flatMap(\.parameters).filter { !$0.isRequired }
        XCTAssertTrue(optional.contains { $0.defaultValue != nil && $0.defaultValue != .null })
        XCTAssertTrue(optional.allSatisfy { $0.defaultValue != nil })
        XCTAssertTrue(ToolCatalog.main.definitions.contains { tool in tool.parameters.allSatisfy { !$0.isRequired } },
                      "some tool can be called with empty parameters")
    }

    /// Every template says every required parameter outside brackets, names only real parameters,
    /// and puts only optional ones in brackets; otherwise golds would miss required arguments.
    func testTemplatesMentionRequiredParameters() {
        for catalog in [ToolCatalog.main, ToolCatalog.pretraining] {
            for tool in catalog.tools {
                XCTAssertGreaterThanOrEqual(tool.templates.count, 3, tool.name)
                let names = Set(tool.definition.parameters.map(\.name))
                let required = Set(tool.definition.parameters.filter(\.isRequired).map(\.name))
                XCTAssertEqual(Set(tool.sources.keys), names, tool.name)
                for template in tool.templates {
                    let (outside, inside) = RequestTemplate.placeholders(RequestTemplate.parse(template))
                    XCTAssertTrue(required.isSubset(of: outside), "\(tool.name): \(template)")
                    XCTAssertTrue(Set(outside + inside).isSubset(of: names), "\(tool.name): \(template)")
                    XCTAssertTrue(Set(inside).isDisjoint(with: required), "\(tool.name): \(template)")
                }
            }
        }
    }

    /// Origin and destination (and the like) never come out equal.
    func testDistinctParametersDiffer() {
        var random = SeededRandom(seed: 12)
        let tools = ToolCatalog.main.tools.filter { !$0.distinct.isEmpty }
        XCTAssertGreaterThanOrEqual(tools.count, 6)
        for tool in tools {
            for _ in 0..<200 {
                let rendered = RequestTemplate.render(random.pick(tool.templates), for: tool, random: &random)
                let values = rendered.arguments.filter { tool.distinct.contains($0.0) }.map(\.1)
                for (index, value) in values.enumerated() {
                    XCTAssertFalse(values[(index + 1)...].contains(value), "\(tool.name): \(rendered.text)")
                }
            }
        }
    }

    /// Every rendered request is one sentence-like line: no leftover braces or brackets, ends in punctuation.
    func testRenderedRequestsAreClean() {
        var random = SeededRandom(seed: 4)
        for catalog in [ToolCatalog.main, ToolCatalog.pretraining] {
            for tool in catalog.tools {
                for template in tool.templates {
                    for _ in 0..<5 {
                        let text = RequestTemplate.render(template, for: tool, random: &random).text
                        XCTAssertFalse(text.contains { "{}[]\n".contains($0) }, text)
                        XCTAssertTrue(text.hasSuffix(".") || text.hasSuffix("?"), text)
                        XCTAssertFalse(text.contains("  "), text)
                    }
                }
            }
        }
    }

    func testTemplateParsing() {
        let pieces = RequestTemplate.parse("Go to {city}[ by {mode}].")
        XCTAssertEqual(pieces, [.text("Go to "), .placeholder("city"),
                                .optional([.text(" by "), .placeholder("mode")]), .text(".")])
    }

    func testSeededRandomIsDeterministicAndSeedDependent() {
        var first = SeededRandom(seed: 7)
        var second = SeededRandom(seed: 7)
        var other = SeededRandom(seed: 8)
        let a = (0..<16).map { _ in first.next() }
        XCTAssertEqual(a, (0..<16).map { _ in second.next() })
        XCTAssertNotEqual(a, (0..<16).map { _ in other.next() })
        var random = SeededRandom(seed: 1)
        for _ in 0..<1000 {
            let value = random.integer(in: -3...5)
            XCTAssertTrue((-3...5).contains(value))
        }
    }
}
