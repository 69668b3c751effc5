// Generates a task set from a catalog: training items and the four evaluation splits.
//
// Guarantees (tested):
// - the same config and seed give the same items, byte for byte;
// - `unseen` gold calls use only held-out tools, and training prompts never list them;
// - `irrelevant` golds have no call and list no tool of the requested tool's domain;
// - `multi` golds have two or more calls;
// - no evaluation request equals a training request (or another evaluation request).
//
// Each split draws from its own random sub-stream, so changing one split's size does not change
// another split's items.

import Basics

/// Builds task sets.
public enum TaskGenerator {
    /// Generated items for `config` (sizes from its preset and overrides). `config.data` is not
    /// read here; `makeOrLoad(config:seed:)` reads it.
    public static func make(config: TaskConfig, seed: UInt64) -> TaskSet {
        var builder = ItemBuilder(config: config, catalog: ToolCatalog.forTask(config))
        var root = SeededRandom(seed: seed &+ UInt64(bitPattern: Int64(config.seedOffset)))
        var streams = (0..<5).map { root.fork(UInt64($0) + 1) }

        let train = builder.trainingItems(count: config.resolvedTrainSize, random: &streams[0])
        let size = config.resolvedEvalSize
        var evaluation: [TaskSplit: [TaskItem]] = [:]
        evaluation[.seen] = builder.evaluationItems(.seen, count: size, random: &streams[1])
        evaluation[.unseen] = builder.evaluationItems(.unseen, count: size, random: &streams[2])
        evaluation[.multi] = builder.evaluationItems(.multi, count: size, random: &streams[3])
        evaluation[.irrelevant] = builder.evaluationItems(.irrelevant, count: size, random: &streams[4])
        evaluation[.noCall] = []   // conversation follow-ups exist only in loaded data
        return TaskSet(train: train, evaluation: evaluation)
    }

    /// The task for a run: items loaded from `config.data` when it is set (see
    /// `ToolRLLoader.loadTask`), generated items otherwise. Throws `DataFileError` for unreadable
    /// or malformed data.
    public static func makeOrLoad(config: TaskConfig, seed: UInt64) throws -> TaskSet {
        guard config.data != nil else { return make(config: config, seed: seed) }
        return try ToolRLLoader.loadTask(config: config, seed: seed).taskSet
    }
}

/// The item kinds a training set mixes.
enum ItemKind {
    case single, multiple, noCall
}

/// Draws items, remembering requests already used so evaluation never repeats training.
struct ItemBuilder {
    let config: TaskConfig
    let catalog: ToolCatalog
    private var usedRequests = Set<String>()

    init(config: TaskConfig, catalog: ToolCatalog) {
        self.config = config
        self.catalog = catalog
    }

    /// Training items: the configured mix of single-call, multi-call and no-call items, shuffled.
    mutating func trainingItems(count: Int, random: inout SeededRandom) -> [TaskItem] {
        let multiCount = Int((Double(count) * config.multiFraction).rounded())
        let noCallCount = min(count - multiCount, Int((Double(count) * config.noCallFraction).rounded()))
        var kinds = Array(repeating: ItemKind.multiple, count: multiCount)
            + Array(repeating: ItemKind.noCall, count: noCallCount)
        kinds += Array(repeating: ItemKind.single, count: count - kinds.count)
        random.shuffle(&kinds)
        let tools = catalog.trainingTools
        var items: [TaskItem] = []
        for (index, kind) in kinds.enumerated() {
            // Avoid repeats within training too, but accept one after a few tries (a tool with few
            // value combinations can run out).
            var draft = draw(kind, gold: tools, distractors: tools, random: &random)
            for _ in 0..<8 where usedRequests.contains(draft.request) {
                draft = draw(kind, gold: tools, distractors: tools, random: &random)
            }
            usedRequests.insert(draft.request)
            items.append(finish(draft, split: .train, index: index, random: &random))
        }
        return items
    }

    /// Up to `count` items for an evaluation split; a draft whose request was used before is
    /// redrawn, and after 50 failed draws the split stays short rather than repeat a request.
    mutating func evaluationItems(_ split: TaskSplit, count: Int, random: inout SeededRandom) -> [TaskItem] {
        let training = catalog.trainingTools
        let all = catalog.tools
        var items: [TaskItem] = []
        for index in 0..<count {
            var accepted: ItemDraft? = nil
            for _ in 0..<50 {
                let draft: ItemDraft
                switch split {
                case .seen: draft = draw(.single, gold: training, distractors: all, random: &random)
                case .unseen:
                    let kind: ItemKind = random.chance(0.2) ? .multiple : .single
                    draft = draw(kind, gold: catalog.unseenTools, distractors: all, random: &random)
                case .multi: draft = draw(.multiple, gold: training, distractors: all, random: &random)
                case .irrelevant, .noCall, .train: draft = draw(.noCall, gold: all, distractors: all, random: &random)
                }
                if !usedRequests.contains(draft.request) { accepted = draft; break }
            }
            guard let draft = accepted else { break }
            usedRequests.insert(draft.request)
            items.append(finish(draft, split: split, index: index, random: &random))
        }
        return items
    }

    // MARK: Drafts

    /// An item before masking and rendering.
    struct ItemDraft {
        var request: String
        var calls: [ToolCall]
        var response: String?
        var listed: [ToolDefinition]
        var requestedTool: String? = nil
    }

    /// One draft of `kind`: gold tools from `gold`, distractors from `distractors`.
    func draw(_ kind: ItemKind, gold: [CatalogTool], distractors: [CatalogTool],
              random: inout SeededRandom) -> ItemDraft {
        switch kind {
        case .single:
            let tool = random.pick(gold)
            let rendered = render(tool, random: &random)
            return ItemDraft(request: decorate(rendered.text, random: &random),
                             calls: [call(tool, rendered)], response: nil,
                             listed: listing(goldTools: [tool], from: distractors, random: &random))
        case .multiple:
            return drawMultiple(gold: gold, distractors: distractors, random: &random)
        case .noCall:
            return drawNoCall(requestTools: gold, distractors: distractors, random: &random)
        }
    }

    /// Two to `max_calls` calls: the same tool with different values (e.g. weather in two
    /// cities) about a third of the time, otherwise different tools.
    private func drawMultiple(gold: [CatalogTool], distractors: [CatalogTool],
                              random: inout SeededRandom) -> ItemDraft {
        let callCount = random.chance(0.7) ? 2 : random.integer(in: 2...config.maxCalls)
        var tools: [CatalogTool]
        if random.chance(0.35) || gold.count < callCount {
            tools = Array(repeating: random.pick(gold), count: callCount)
        } else {
            tools = random.sample(gold, count: callCount)
        }
        var sentences: [RenderedRequest] = []
        var calls: [ToolCall] = []
        for tool in tools {
            var rendered = render(tool, random: &random)
            // Repeated calls must differ, or the item would ask for the same thing twice.
            for _ in 0..<10 where calls.contains(where: { $0 == call(tool, rendered) }) {
                rendered = render(tool, random: &random)
            }
            sentences.append(rendered)
            calls.append(call(tool, rendered))
        }
        var distinct: [CatalogTool] = []
        for tool in tools where !distinct.contains(where: { $0.name == tool.name }) { distinct.append(tool) }
        return ItemDraft(request: decorate(join(sentences, random: &random), random: &random),
                         calls: calls, response: nil,
                         listed: listing(goldTools: distinct, from: distractors, random: &random))
    }

    /// A request no listed tool serves: small talk (a quarter of the time) or a request for a
    /// tool whose whole domain is left out of the list.
    private func drawNoCall(requestTools: [CatalogTool], distractors: [CatalogTool],
                            random: inout SeededRandom) -> ItemDraft {
        let count = max(1, config.toolsPerPrompt)
        if random.chance(0.25) {
            let exchange = random.pick(SmallTalk.exchanges)
            let listed = random.sample(distractors, count: count).map(\.definition)
            return ItemDraft(request: exchange.request, calls: [], response: exchange.response, listed: listed)
        }
        let tool = random.pick(requestTools)
        let rendered = render(tool, random: &random)
        let others = distractors.filter { $0.domain != tool.domain }
        return ItemDraft(request: decorate(rendered.text, random: &random), calls: [],
                         response: SmallTalk.missingToolResponse,
                         listed: random.sample(others, count: count).map(\.definition), requestedTool: tool.name)
    }

    // MARK: Pieces

    private func render(_ tool: CatalogTool, random: inout SeededRandom) -> RenderedRequest {
        RequestTemplate.render(random.pick(tool.templates), for: tool, random: &random)
    }

    private func call(_ tool: CatalogTool, _ rendered: RenderedRequest) -> ToolCall {
        ToolCall(name: tool.name, parameters: rendered.arguments.map { ($0.0, $0.1.json) })
    }

    /// The gold tools plus distractors up to `tools_per_prompt`, in random order.
    private func listing(goldTools: [CatalogTool], from pool: [CatalogTool],
                         random: inout SeededRandom) -> [ToolDefinition] {
        let goldNames = Set(goldTools.map(\.name))
        let extra = max(0, config.toolsPerPrompt - goldTools.count)
        var near: [CatalogTool] = []
        if catalog.nearDistractorShare > 0, extra > 0, let domain = goldTools.first?.domain {
            let wanted = (0..<extra).filter { _ in random.chance(catalog.nearDistractorShare) }.count
            near = random.sample(pool.filter { $0.domain == domain && !goldNames.contains($0.name) }, count: wanted)
        }
        let nearNames = Set(near.map(\.name))
        var listed = goldTools + near
            + random.sample(pool.filter { !goldNames.contains($0.name) && !nearNames.contains($0.name) },
                            count: extra - near.count)
        random.shuffle(&listed)
        return listed.map(\.definition)
    }

    /// Sentences joined into one request: "A Also, b", "A Then b", "A And b" or "A B".
    private func join(_ sentences: [RenderedRequest], random: inout SeededRandom) -> String {
        var text = sentences[0].text
        for sentence in sentences.dropFirst() {
            let joiner = random.pick(["", "Also, ", "Then ", "And "])
            var next = sentence.text
            if !joiner.isEmpty, sentence.startsWithTemplateText, let first = next.first {
                next = first.lowercased() + next.dropFirst()
            }
            text += " " + joiner + next
        }
        return text
    }

    /// Sometimes a greeting before or thanks after, as users write.
    private func decorate(_ request: String, random: inout SeededRandom) -> String {
        var text = request
        if random.chance(0.12) { text = random.pick(["Hi! ", "Hello. ", "Quick question: "]) + text }
        if random.chance(0.12) { text += random.pick([" Thanks!", " Thank you.", " Thanks a lot."]) }
        return text
    }

    /// Masks (with probability `mask_names`), renders the prompt and the gold answer.
    private func finish(_ draft: ItemDraft, split: TaskSplit, index: Int, random: inout SeededRandom) -> TaskItem {
        var listed = draft.listed
        var calls = draft.calls
        let masked = random.chance(config.maskNames)
        if masked {
            let masking = NameMasking(tools: listed, random: &random)
            listed = listed.map(masking.apply(to:))
            calls = calls.map(masking.apply(to:))
        }
        let id = split.rawValue + "-" + paddedIndex(index)
        var item = TaskItem(id: id, split: split,
                            prompt: PromptRenderer.render(tools: listed, request: draft.request, style: config.promptStyle),
                            gold: GoldAnswer.render(calls: calls, response: draft.response),
                            goldCalls: calls, request: draft.request, tools: listed, isMasked: masked)
        item.requestedTool = draft.requestedTool
        return item
    }
}

/// `index` zero-padded to five digits, for item ids.
func paddedIndex(_ index: Int) -> String {
    let digits = String(index)
    return String(repeating: "0", count: max(0, 5 - digits.count)) + digits
}
