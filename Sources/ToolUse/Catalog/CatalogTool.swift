// A catalog entry: the tool as the policy sees it, plus what the generator needs to write
// requests for it (a value source per parameter and request templates).
//
// Template syntax: `{param}` is replaced by the drawn value's surface text; `[ … ]` is an
// optional part that mentions optional parameters and is kept (and those parameters put in the
// call) with probability one half. Required parameters appear outside brackets in every
// template; a test checks that. Optional parameters a template never mentions stay at their
// defaults and are left out of the call, as a user who does not mention them would expect.

import Basics

/// A tool with its generation data.
struct CatalogTool: Sendable {
    let definition: ToolDefinition
    let sources: [String: ValueSource]
    let templates: [String]
    /// Parameters whose values must differ from each other (origin and destination, …).
    var distinct: Set<String> = []

    var name: String { definition.name }
    var domain: String { definition.domain }
}

/// Builds catalog entries in a compact style; see the catalogs.
struct ToolBuilder {
    private let domain: String

    init(domain: String) { self.domain = domain }

    /// A tool with parameters in the order given (that order is also the order in gold calls).
    func tool(_ name: String, _ description: String, _ parameters: [ParameterSpec],
              _ templates: [String], distinct: Set<String> = []) -> CatalogTool {
        let definition = ToolDefinition(
            name: name, domain: domain, description: description,
            parameters: parameters.map(\.parameter))
        var sources: [String: ValueSource] = [:]
        for spec in parameters { sources[spec.parameter.name] = spec.source }
        return CatalogTool(definition: definition, sources: sources, templates: templates, distinct: distinct)
    }
}

/// A parameter plus the source its values are drawn from.
struct ParameterSpec {
    let parameter: ToolParameter
    let source: ValueSource

    static func required(_ name: String, _ type: ParameterType, _ description: String,
                         _ source: ValueSource) -> ParameterSpec {
        ParameterSpec(parameter: ToolParameter(name: name, type: type, description: description,
                                               isRequired: true),
                      source: source)
    }

    static func optional(_ name: String, _ type: ParameterType, _ description: String,
                         default value: ArgumentValue?, _ source: ValueSource) -> ParameterSpec {
        ParameterSpec(parameter: ToolParameter(name: name, type: type, description: description,
                                               isRequired: false, defaultValue: value?.json),
                      source: source)
    }
}

/// A rendered request and the arguments its gold call carries.
struct RenderedRequest {
    var text: String
    /// Arguments in the tool's parameter order.
    var arguments: [(String, ArgumentValue)]
    /// True when the text opens with template words rather than a drawn value (safe to lower-case).
    var startsWithTemplateText: Bool
}

enum RequestTemplate {
    /// One piece of a parsed template.
    enum Piece: Equatable {
        case text(String)
        case placeholder(String)
        case optional([Piece])
    }

    /// Parses `template`; unbalanced brackets or braces are programming errors in a catalog.
    static func parse(_ template: String) -> [Piece] {
        var top: [Piece] = []
        var group: [Piece]? = nil
        var literal = ""
        var name: String? = nil
        func flush() {
            guard !literal.isEmpty else { return }
            if group != nil { group!.append(.text(literal)) } else { top.append(.text(literal)) }
            literal = ""
        }
        for character in template {
            if name != nil {
                if character == "}" {
                    let piece = Piece.placeholder(name!)
                    if group != nil { group!.append(piece) } else { top.append(piece) }
                    name = nil
                } else {
                    name!.append(character)
                }
                continue
            }
            switch character {
            case "{": flush(); name = ""
            case "[":
                precondition(group == nil, "nested [ in template: \(template)")
                flush(); group = []
            case "]":
                precondition(group != nil, "unbalanced ] in template: \(template)")
                flush(); top.append(.optional(group!)); group = nil
            default: literal.append(character)
            }
        }
        precondition(name == nil && group == nil, "unclosed { or [ in template: \(template)")
        flush()
        return top
    }

    /// The placeholders of a parsed template: (outside brackets, inside brackets).
    static func placeholders(_ pieces: [Piece]) -> (required: [String], optional: [String]) {
        var required: [String] = []
        var optional: [String] = []
        for piece in pieces {
            switch piece {
            case .placeholder(let name): required.append(name)
            case .optional(let inner):
                for case .placeholder(let name) in inner { optional.append(name) }
            case .text: break
            }
        }
        return (required, optional)
    }

    /// Renders one of `tool`'s templates with fresh values.
    static func render(_ template: String, for tool: CatalogTool, random: inout SeededRandom) -> RenderedRequest {
        var drawn: [String: Realisation] = [:]
        func text(of name: String) -> String {
            if let known = drawn[name] { return known.text }
            guard let source = tool.sources[name] else {
                preconditionFailure("template of \(tool.name) names unknown parameter {\(name)}")
            }
            var realisation = source.draw(&random)
            if tool.distinct.contains(name) {
                for _ in 0..<20 where drawn.contains(where: { tool.distinct.contains($0.key) && $0.value.value == realisation.value }) {
                    realisation = source.draw(&random)
                }
            }
            drawn[name] = realisation
            return realisation.text
        }
        var output = ""
        let pieces = parse(template)
        for piece in pieces {
            switch piece {
            case .text(let words): output += words
            case .placeholder(let name): output += text(of: name)
            case .optional(let inner):
                guard random.chance(0.5) else { continue }
                for part in inner {
                    if case .text(let words) = part { output += words }
                    if case .placeholder(let name) = part { output += text(of: name) }
                }
            }
        }
        let arguments = tool.definition.parameters.compactMap { parameter -> (String, ArgumentValue)? in
            drawn[parameter.name].map { (parameter.name, $0.value) }
        }
        let startsWithText: Bool
        if case .text = pieces.first { startsWithText = true } else { startsWithText = false }
        return RenderedRequest(text: output, arguments: arguments, startsWithTemplateText: startsWithText)
    }
}
