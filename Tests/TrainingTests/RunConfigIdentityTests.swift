import TestSupport
import XCTest
@testable import Config
@testable import Training

/// Run ids leave out keys at their default, so the defaults are part of what every id means. This
/// test pins them: a change to a default's value fails it until `RunConfig.defaultsVersion` is
/// bumped (which changes every run id) and the table below is updated, together and on purpose.
final class RunConfigIdentityTests: XCTestCase {
    static let pinnedVersion = 1

    /// Every leaf of the resolved default `RunConfig`, `path = canonical JSON value`.
    static let pinnedDefaults = """
        critic.dim = null
        critic.heads = null
        critic.init = "policy"
        critic.layers = null
        critic.lr = 0.001
        critic.mlp_dim = null
        critic.warmup = 0
        eval.every = 50
        eval.max_items = 0
        eval.max_new_tokens = 128
        eval.samples = 0
        eval.splits = ["seen","unseen","multi","irrelevant"]
        eval.temperature = 1
        init = "scratch"
        model.bpe_spaces = "glued"
        model.bpe_vocab = 512
        model.context = 384
        model.dim = 128
        model.heads = 4
        model.init_std = 0.02
        model.layers = 4
        model.mlp_dim = 512
        model.positions = "learned"
        model.tokenizer = "bytes"
        ppo.epochs = 1
        ppo.gamma = 1
        ppo.lambda = 1
        ppo.mini_batches = 1
        ppo.value_clip = 0.5
        reward.aggregation = "sum_then_normalize"
        reward.correctness.granularity = "original"
        reward.correctness.matching = "optimal"
        reward.correctness.response_only = "zero"
        reward.correctness.values = "python"
        reward.error_weights.bad_format = 1
        reward.error_weights.missing_parameter = 0.6
        reward.error_weights.unexpected_parameter = 0.4
        reward.error_weights.wrong_count = 0.8
        reward.error_weights.wrong_name = 0.8
        reward.error_weights.wrong_type = 0.4
        reward.error_weights.wrong_value = 0.2
        reward.fidelity = "paper"
        reward.length.enabled = false
        reward.length.final_target = 1024
        reward.length.growth = "fixed"
        reward.length.target = 512
        reward.preset = "original"
        reward.scale.correctness = [-3,3]
        reward.scale.format = [0,1]
        reward.scale.length = [0,1]
        reward.schedule.end = null
        reward.schedule.kind = "constant"
        reward.schedule.points = [[0,0],[1,1]]
        reward.schedule.start = null
        reward.schedule.switch = 0.2857142857142857
        reward.weights.correctness = 1
        reward.weights.format = 1
        reward.weights.length = 1
        seed = 0
        task.catalog = "main"
        task.data = null
        task.eval_data = null
        task.data_eval_fraction = 0.02
        task.eval_size = null
        task.mask_names = 0
        task.max_calls = 3
        task.multi_fraction = 0.25
        task.no_call_fraction = 0.15
        task.preset = "small"
        task.prompt_style = "compact"
        task.seed_offset = 0
        task.tools_per_prompt = 3
        task.train_size = null
        task.world_seed = 0
        task.world_tools = 2000
        train.adam_beta1 = 0.9
        train.adam_beta2 = 0.999
        train.adam_eps = 1e-08
        train.advantage = "grpo"
        train.advantage_eps = 0.0001
        train.algorithm = "grpo"
        train.batch_size = 4
        train.beta = 0
        train.checkpoint_every = 50
        train.dual_clip = null
        train.dynamic_sampling = false
        train.entropy_coef = 0
        train.epsilon = 0.2
        train.epsilon_high = null
        train.group_size = 4
        train.importance_sampling = "token"
        train.iterations = 1
        train.kl_control = "fixed"
        train.kl_estimator = "k3"
        train.kl_horizon = 10000
        train.kl_placement = "loss"
        train.kl_target = 0.1
        train.log_every = 1
        train.loss_type = "dapo"
        train.lr = 0.0003
        train.lr_schedule = "constant"
        train.lr_schedule_steps = null
        train.mask_truncated = false
        train.max_grad_norm = 1
        train.max_new_tokens = 128
        train.max_resample_batches = 4
        train.min_lr_ratio = 0.1
        train.overlong_penalty = null
        train.scale_rewards = "group"
        train.std_ddof = 1
        train.steps = 100
        train.temperature = 1
        train.top_k = 0
        train.top_p = 1
        train.warmup = 0
        train.weight_decay = 0
        """

    func testTheDefaultsTableIsPinned() throws {
        var live: [String: String] = [:]
        try Self.leaves(of: RunConfig.resolver.defaults, prefix: "", into: &live)
        var pinned: [String: String] = [:]
        for line in Self.pinnedDefaults.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { return XCTFail("a table line is 'path = value', not '\(line)'") }
            pinned[parts[0]] = parts[1]
        }
        let current = live.keys.sorted().map { "\($0) = \(live[$0]!)" }.joined(separator: "\n")
        for (path, value) in pinned.sorted(by: { $0.key < $1.key }) {
            guard let now = live[path] else {
                XCTFail("'\(path)' is gone from RunConfig: remove it from the table (ids of runs that set it change)")
                continue
            }
            XCTAssertEqual(now, value, """
                the default of '\(path)' changed from \(value) to \(now). That changes what every run relying on it \
                means: bump RunConfig.defaultsVersion (every run id changes; say so in the release notes) and \
                update this table. Current table:
                \(current)
                """)
        }
        for path in live.keys.sorted() where pinned[path] == nil {
            XCTFail("new key '\(path)' (default \(live[path]!)): add it to this table; ids do not change. Current table:\n\(current)")
        }
        XCTAssertEqual(RunConfig.defaultsVersion, Self.pinnedVersion, "update pinnedVersion together with the table")
    }

    func testAnExplicitDefaultDoesNotEnterTheId() throws {
        let resolver = RunConfig.resolver
        func id(_ yaml: String) throws -> String { try runID(yaml, resolver: resolver) }
        let plain = try id("train: {steps: 7}\n")
        XCTAssertEqual(plain, try id("train: {steps: 7, lr: 3.0e-4, loss_type: dapo}\nreward.preset: original\nseed: 0\n"))
        XCTAssertNotEqual(plain, try id("train: {steps: 7, lr: 1.0e-3}\n"))
        let identity = try resolver.identity(of: try resolver.resolve(try YAMLLoader.load(yaml: "train: {steps: 7}\n", file: "r")))
        XCTAssertEqual(identity.text, #"{"config":{"train":{"steps":7}},"defaults_version":1}"#)
    }

    func testDataFilesEnterTheIdByContentAndAnUnsetEvalDataStaysOut() throws {
        let resolver = RunConfig.resolver
        func data(_ path: String, _ hash: String) -> String { "{path: \(path), resolved: /data/\(path), sha256: \(hash)}" }
        func identity(_ yaml: String) throws -> RunIdentity {
            try resolver.identity(of: try resolver.resolve(try YAMLLoader.load(yaml: yaml, file: "r")))
        }
        let planned = try identity("task: {data: \(data("a.json", "ab12"))}\n")
        XCTAssertEqual(planned.text, #"{"config":{"task":{"data":{"sha256":"ab12"}}},"defaults_version":1}"#)
        XCTAssertEqual(planned.id, try identity("task: {data: \(data("moved/b.json", "ab12")), eval_data: null}\n").id,
                       "the same bytes elsewhere, and eval_data at its default, are the same run")
        XCTAssertNotEqual(planned.id, try identity("task: {data: \(data("a.json", "cd34"))}\n").id, "an edited file is a new run")
        let withEval = try identity("task: {data: \(data("a.json", "ab12")), eval_data: \(data("t.json", "ef56"))}\n")
        XCTAssertEqual(withEval.text, #"{"config":{"task":{"data":{"sha256":"ab12"},"eval_data":{"sha256":"ef56"}}},"defaults_version":1}"#)
        XCTAssertEqual(try resolver.resolve(try YAMLLoader.load(yaml: "task: {data: \(data("a.json", "ab12"))}\n", file: "r"))
                        .value(atPath: "task.data.resolved")?.string, "/data/a.json", "config.json keeps the paths")
    }

    /// The PPO, critic, estimator, loss, batch and reward-design keys (issue 13) stay out of an id
    /// at their default, written or not, and enter it when set otherwise.
    func testPolicyGradientFamilyKeysAtTheirDefaultLeaveIdsAlone() throws {
        func id(_ yaml: String) throws -> String { try runID(yaml, resolver: RunConfig.resolver) }
        let plain = try id("train: {steps: 7}\n")
        XCTAssertEqual(plain, try id("""
            train: {steps: 7, advantage: grpo, importance_sampling: token, dual_clip: null, kl_control: fixed, \
            dynamic_sampling: false, overlong_penalty: null}
            critic: {init: policy, dim: null, lr: 1.0e-3}
            ppo: {gamma: 1, lambda: 1, value_clip: 0.5, epochs: 1, mini_batches: 1}
            reward: {aggregation: sum_then_normalize}

            """))
        for changed in ["ppo: {epochs: 2}", "critic: {warmup: 1}", "train.dual_clip: 3", "reward.aggregation: normalize_then_sum",
                        "train.overlong_penalty: {buffer: 4}"] {
            XCTAssertNotEqual(plain, try id("train: {steps: 7}\n\(changed)\n"), changed)
        }
    }

    static func leaves(of tree: ConfigTree, prefix: String, into result: inout [String: String]) throws {
        guard let entries = tree.entries, !entries.isEmpty else {
            result[prefix] = try CanonicalJSON.string(tree)
            return
        }
        for entry in entries {
            try leaves(of: entry.value, prefix: prefix.isEmpty ? entry.key : "\(prefix).\(entry.key)", into: &result)
        }
    }
}
