// The procedurally generated pretraining world (`task.catalog: world`): thousands of tools
// composed from parts (`WorldParts`), so that a base policy trained on it learns the general
// skill — read the listed tools, pick the one the request needs, copy parameter names from the
// schema and values from the request, write the format, answer without a call when nothing
// fits — rather than a catalog.
//
// A tool is a verb, an object and sometimes a qualifier (`book_yoga_session`,
// `getPlantStatus`), with one to three required and up to two optional parameters drawn from
// the parameter kinds, a description built from the same words, and four request templates
// composed from an opener, a way of saying the verb, the object and one phrase per parameter.
//
// Guarantees (tested): the same size and seed give the same tools; no tool shares its name
// with a tool of the task catalogs (`main`, `pretraining`); names are unique.

import Basics

/// Builds the generated world.
enum ToolWorld {
    /// `size` tools (at most every combination of the parts, about 144,000) from `seed`, grouped
    /// by topic; the last tool of each topic is held out for the world's `unseen` split.
    static func catalog(size: Int, seed: UInt64) -> ToolCatalog {
        var random = SeededRandom(seed: seed ^ 0x0057_0A1D_0000_0001)
        // Besides its five real objects, each topic gets made-up ones (`trovik`): a name made
        // of them cannot be composed from remembered words, only copied from the request or list.
        var words = random.fork(1)
        let objects = WorldParts.topics.map { topic in
            topic.objects + (0..<madeUpObjectsPerTopic).map { _ -> WorldParts.Object in
                let word = WorldValues.madeUpWord(&words, capital: false)
                return WorldParts.Object(singular: word, plural: word + "s")
            }
        }
        var candidates: [(topic: Int, object: Int, verb: Int, qualifier: Int?)] = []
        for t in WorldParts.topics.indices {
            for o in objects[t].indices {
                for v in WorldParts.verbs.indices {
                    candidates.append((t, o, v, nil))
                    for q in WorldParts.qualifiers.indices { candidates.append((t, o, v, q)) }
                }
            }
        }
        random.shuffle(&candidates)
        var taken = Set(ToolCatalog.main.tools.map(\.name) + ToolCatalog.pretraining.tools.map(\.name))
        var byTopic: [[CatalogTool]] = Array(repeating: [], count: WorldParts.topics.count)
        var count = 0
        for candidate in candidates where count < size {
            let topic = WorldParts.topics[candidate.topic]
            let tool = compose(topic: topic.topic, object: objects[candidate.topic][candidate.object],
                               verb: WorldParts.verbs[candidate.verb],
                               qualifier: candidate.qualifier.map { WorldParts.qualifiers[$0] }, random: &random)
            guard taken.insert(tool.name).inserted else { continue }
            byTopic[candidate.topic].append(tool)
            count += 1
        }
        var catalog = ToolCatalog(domains: byTopic.filter { !$0.isEmpty })
        catalog.nearDistractorShare = 0.5
        return catalog
    }

    /// The task catalog `world_held_out`: the tools `catalog(size:seed:)` holds out (one per
    /// topic, never listed or called by its training items), grouped in topic order into domains
    /// of `heldOutGroup` tools. The last tool of each group is held out in turn, for this task's
    /// own `unseen` split; the rest are what its training items call. Distractors come from the
    /// whole catalog: no two of its tools share a topic.
    static func heldOutCatalog(size: Int, seed: UInt64) -> ToolCatalog {
        let tools = catalog(size: size, seed: seed).unseenTools
        let groups = stride(from: 0, to: tools.count, by: heldOutGroup).map {
            Array(tools[$0..<min($0 + heldOutGroup, tools.count)])
        }
        return ToolCatalog(domains: groups)
    }

    /// Tools per domain of `heldOutCatalog`: 40 topics give 8 domains, 32 tools to train on and 8
    /// for `unseen`.
    static let heldOutGroup = 5

    /// Made-up objects per topic, beside its five real ones.
    static let madeUpObjectsPerTopic = 25

    /// One tool from its parts.
    static func compose(topic: String, object: WorldParts.Object, verb: WorldParts.Verb, qualifier: String?,
                        random: inout SeededRandom) -> CatalogTool {
        let camel = random.chance(0.25)
        let objectWords = (verb.plural ? object.plural : object.singular).split(separator: " ").map(String.init)
        let name = identifier([verb.name] + objectWords + (qualifier.map { [$0] } ?? []), camel: camel)

        // Parameters: kinds drawn without repeats, names unique within the tool.
        let requiredCount = random.pick([1, 1, 1, 2, 2, 3])
        let optionalCount = random.pick([0, 0, 1, 1, 1, 2])
        var kinds = WorldParts.parameterKinds
        random.shuffle(&kinds)
        var chosen: [(kind: WorldParts.ParameterKind, name: String, required: Bool)] = []
        var names = Set<String>()
        for kind in kinds where chosen.filter(\.required).count < requiredCount && kind.canBeRequired {
            let parameterName = identifier([random.pick(kind.names)], camel: camel)
            if names.insert(parameterName).inserted { chosen.append((kind, parameterName, true)) }
        }
        for kind in kinds where chosen.filter({ !$0.required }).count < optionalCount
            && !chosen.contains(where: { $0.kind.names == kind.names }) {
            let parameterName = identifier([random.pick(kind.names)], camel: camel)
            if names.insert(parameterName).inserted { chosen.append((kind, parameterName, false)) }
        }
        let specs = chosen.map { entry -> ParameterSpec in
            entry.required
                ? .required(entry.name, entry.kind.type, entry.kind.description, entry.kind.source)
                : .optional(entry.name, entry.kind.type, entry.kind.description, default: nil, entry.kind.source)
        }

        let objectText = verb.plural ? object.plural : object.singular
        let thing = objectText + (qualifier.map { " " + $0 } ?? "")
        let description = capitalised(verb.sayings[0]) + " " + (verb.plural ? "" : "a ") + thing + "."
        let templates = (0..<4).map { index in
            template(verb: verb, thing: thing, plural: verb.plural, parameters: chosen.map { ($0.kind, $0.name, $0.required) },
                     asQuestion: verb.question && index == 3, random: &random)
        }
        return ToolBuilder(domain: topic).tool(name, description, specs, templates)
    }

    /// A request template: opener, verb, object, one phrase per parameter (required ones first
    /// in a random order, optional ones in `[ … ]`), end mark.
    static func template(verb: WorldParts.Verb, thing: String, plural: Bool,
                         parameters: [(kind: WorldParts.ParameterKind, name: String, required: Bool)],
                         asQuestion: Bool, random: inout SeededRandom) -> String {
        var required = parameters.filter(\.required)
        var optional = parameters.filter { !$0.required }
        random.shuffle(&required)
        random.shuffle(&optional)
        func phrase(_ parameter: (kind: WorldParts.ParameterKind, name: String, required: Bool)) -> String {
            let words = random.pick(parameter.kind.phrases)
            if words.contains("{v}") { return words.replacingOccurrences(of: "{v}", with: "{" + parameter.name + "}") }
            return "{" + parameter.name + "}" + words    // a flag: the placeholder says nothing
        }
        let requiredText = required.map { " " + phrase($0) }.joined()
        let optionalText = optional.map { "[ " + phrase($0) + "]" }.joined()
        let determiner = plural ? random.pick(["", "my ", "the "]) : random.pick(["a ", "the ", "my "])
        if asQuestion {
            let opening = plural ? "What are " : "What is "
            return opening + (plural ? random.pick(["the ", "my "]) : random.pick(["the ", "my "])) + thing
                + requiredText + optionalText + "?"
        }
        let opener = random.pick(WorldParts.openers)
        let saying = random.pick(verb.sayings)
        let start = opener.isEmpty ? capitalised(saying) : opener + saying
        let mark = opener.hasPrefix("Can") || opener.hasPrefix("Could") ? "?" : "."
        return start + " " + determiner + thing + requiredText + optionalText + mark
    }

    /// `words` joined as `snake_case` or `camelCase` (each word may hold spaces or underscores).
    static func identifier(_ words: [String], camel: Bool) -> String {
        let parts = words.flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "_" }).map(String.init) }
        guard camel else { return parts.joined(separator: "_") }
        return parts.enumerated().map { $0.offset == 0 ? $0.element : capitalised($0.element) }.joined()
    }

    static func capitalised(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }
}
