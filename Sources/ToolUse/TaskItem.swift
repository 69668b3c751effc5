// What the task hands to training and evaluation: items with their exact prompt text and gold
// answer, grouped into a training list and evaluation splits.

/// Where an item belongs.
public enum TaskSplit: String, Codable, CaseIterable, Sendable {
    /// Training items (single calls, several calls and no-call items mixed).
    case train
    /// New requests for tools the training items use.
    case seen
    /// Requests whose gold calls only use tools held out of training.
    case unseen
    /// Requests that need two or more calls.
    case multi
    /// Requests no listed tool can serve: the right answer is a `<response>` without a call.
    case irrelevant
    /// Loaded data only: conversation follow-ups (a dialogue history before the last user turn)
    /// whose right answer is a `<response>` without a call. Not part of `overall`: an empty
    /// completion makes no call, so it would count as right.
    case noCall = "no_call"

    /// The evaluation splits, in report order.
    public static let evaluationSplits: [TaskSplit] = [.seen, .unseen, .multi, .irrelevant, .noCall]
}

/// One task instance.
public struct TaskItem: Sendable {
    /// Unique within its task set, e.g. `train-00012`, `unseen-00003`, `data-00417`.
    public var id: String
    public var split: TaskSplit
    /// The exact text fed to the policy, ending with the assistant cue.
    public var prompt: String
    /// The gold answer in ToolRL's output format (what should follow the prompt).
    public var gold: String
    /// The calls in `gold`, in order (empty when the right answer is a response).
    public var goldCalls: [ToolCall]
    /// The user's request as written in the prompt.
    public var request: String
    /// The tools listed in the prompt, in listed order, with masked names when masked.
    public var tools: [ToolDefinition]
    /// Whether tool and parameter names were replaced by random identifiers.
    public var isMasked: Bool
    /// For generated no-call items: the catalog tool the request was written for (nil for small
    /// talk and loaded data). Lets tests check that no tool of its domain is listed.
    var requestedTool: String? = nil
    /// For loaded items: the user part is a dialogue history (earlier turns before the request),
    /// not a single request.
    var isFollowUp = false

    public init(id: String, split: TaskSplit, prompt: String, gold: String, goldCalls: [ToolCall],
                request: String, tools: [ToolDefinition], isMasked: Bool) {
        self.id = id
        self.split = split
        self.prompt = prompt
        self.gold = gold
        self.goldCalls = goldCalls
        self.request = request
        self.tools = tools
        self.isMasked = isMasked
    }
}

/// A task: training items and evaluation items per split.
public struct TaskSet: Sendable {
    public var train: [TaskItem]
    /// Items per evaluation split; every split of `TaskSplit.evaluationSplits` has an entry
    /// (possibly empty, e.g. `unseen` for loaded data).
    public var evaluation: [TaskSplit: [TaskItem]]

    init(train: [TaskItem], evaluation: [TaskSplit: [TaskItem]]) {
        self.train = train
        self.evaluation = evaluation
    }

    /// All evaluation items, split by split in report order.
    public var allEvaluationItems: [TaskItem] {
        TaskSplit.evaluationSplits.flatMap { evaluation[$0] ?? [] }
    }

    /// Training text for tokenizer training and pretraining: each training item's prompt followed
    /// by its gold answer.
    public var corpus: [String] {
        train.map { $0.prompt + $0.gold }
    }
}
