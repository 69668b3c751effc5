import Foundation
import XCTest

/// The floors as declared and as written: every target's `import` statements are exactly the
/// dependencies `Package.swift` declares for it, and the module table of `docs/architecture.md`
/// says the same.
final class LayoutTests: XCTestCase {
    /// The repository root (this file is `Tests/LayoutTests/LayoutTests.swift`).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Modules of the toolchain and the system: importing them needs no declared edge.
    static let platformModules: Set<String> = ["Foundation", "Glibc", "Darwin", "Dispatch", "Synchronization", "XCTest"]

    struct Target {
        var name: String
        var kind: String
        var path: String
        var dependencies: Set<String>
    }

    /// The targets of `Package.swift`, read from its text: `.target(name: "X", dependencies:
    /// ["A", .product(name: "B", …)], path: "…")` and the other kinds.
    static func targets() throws -> [Target] {
        let text = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        var targets: [Target] = []
        let starts = text.ranges(of: #/\.(target|executableTarget|testTarget|systemLibrary)\(/#)
        for (index, start) in starts.enumerated() {
            let end = index + 1 < starts.count ? starts[index + 1].lowerBound : text.endIndex
            let body = String(text[start.upperBound..<end])
            let kind = String(text[start].dropFirst().dropLast())
            guard let name = body.firstMatch(of: #/name: "([^"]+)"/#)?.1 else { continue }
            var dependencies = Set<String>()
            if let list = body.firstMatch(of: #/dependencies: \[((?:[^\[\]]|\[[^\]]*\])*)\]/#)?.1 {
                // `.product(name: "ArgumentParser", package: …)` imports as its product name.
                let products = #/\.product\(name: "([^"]+)", package: "[^"]+"\)/#
                for match in list.matches(of: products) { dependencies.insert(String(match.1)) }
                for match in String(list).replacing(products, with: "").matches(of: #/"([^"]+)"/#) {
                    dependencies.insert(String(match.1))
                }
            }
            let directory = kind == "testTarget" ? "Tests" : "Sources"
            let path = body.firstMatch(of: #/path: "([^"]+)"/#).map { String($0.1) } ?? "\(directory)/\(name)"
            targets.append(Target(name: String(name), kind: kind, path: path, dependencies: dependencies))
        }
        return targets
    }

    /// Every module the Swift files under `path` import (plain or `@testable`), platform modules
    /// left out.
    static func imports(under path: String) throws -> Set<String> {
        let directory = root.appendingPathComponent(path)
        var result = Set<String>()
        guard let files = FileManager.default.enumerator(atPath: directory.path) else { return result }
        for case let file as String in files where file.hasSuffix(".swift") {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: #/(?m)^(?:@testable )?import ([A-Za-z_][A-Za-z0-9_]*)/#) {
                result.insert(String(match.1))
            }
        }
        return result.subtracting(platformModules)
    }

    func testEveryImportIsADeclaredEdgeAndEveryEdgeIsImported() throws {
        let targets = try Self.targets()
        XCTAssertGreaterThan(targets.count, 10, "Package.swift's targets were not found")
        for target in targets where target.kind != "systemLibrary" {
            let imported = try Self.imports(under: target.path)
            XCTAssertEqual(imported.subtracting(target.dependencies).sorted(), [],
                           "\(target.name) imports modules Package.swift does not declare for it")
            XCTAssertEqual(target.dependencies.subtracting(imported).sorted(), [],
                           "Package.swift declares edges of \(target.name) that no file imports")
        }
    }

    func testFloorsPointDown() throws {
        // A library target may not depend on anything that depends on it (no cycles), and no
        // library depends on the command line or on test support.
        let targets = try Self.targets()
        let libraries = Dictionary(uniqueKeysWithValues: targets.filter { $0.kind == "target" }.map { ($0.name, $0) })
        func reaches(_ from: String, _ to: String, _ seen: inout Set<String>) -> Bool {
            guard let target = libraries[from], seen.insert(from).inserted else { return false }
            return target.dependencies.contains(to) || target.dependencies.contains { reaches($0, to, &seen) }
        }
        for name in libraries.keys {
            var seen = Set<String>()
            XCTAssertFalse(reaches(name, name, &seen), "\(name) depends on itself through its dependencies")
        }
        for target in libraries.values where target.name != "TestSupport" {
            XCTAssertFalse(target.dependencies.contains("TestSupport") || target.dependencies.contains("ablate"), target.name)
        }
    }

    /// The module table of docs/architecture.md (`| \`Target\` | owns | imports |`) names each
    /// source target once, with the imports Package.swift declares.
    func testTheArchitectureTableMatchesPackageSwift() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        var table: [String: Set<String>] = [:]
        for match in text.matches(of: #/(?m)^\| `([A-Za-z]+)` \| [^|\n]+ \| ([^|\n]*) \|$/#) {
            let imports = match.2.trimmingCharacters(in: .whitespaces)
            table[String(match.1)] = imports == "—" ? [] : Set(imports.split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            })
        }
        let sources = try Self.targets().filter { !["testTarget"].contains($0.kind) && $0.path.hasPrefix("Sources/") }
        XCTAssertEqual(Set(table.keys), Set(sources.map(\.name)), "the table lists exactly the source targets")
        for target in sources {
            XCTAssertEqual(table[target.name]?.sorted(), target.dependencies.sorted(),
                           "docs/architecture.md: the imports of \(target.name)")
        }
    }
}
