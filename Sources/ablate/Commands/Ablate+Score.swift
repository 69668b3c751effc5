import ArgumentParser
import Basics
import External
import Foundation
import Rewards

extension Ablate {
    /// `ablate score`: scores completions against gold answers, one JSON line each.
    struct Score: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "score",
            abstract: "Score completions with a reward: JSON lines in, the same lines with reward fields out.",
            discussion: """
                Each input line is a JSON object with "gold", "completion" and "step" (other fields, \
                such as "id", are kept in order); "step" may be left out when the reward does not \
                change with training (no schedule, no growing length target). Each output line adds \
                "format", "correctness", "length" (null when the reward has no length term) and "total". \
                With --serve, a long-lived reward server instead: JSON requests in, responses out, on \
                standard input/output or on a Unix socket (--socket); protocol in docs/external.md.
                """
        )

        @Option(help: "A reward preset (original, length, dynamic_length, equal_max, two_stage, dynamic_scale, finegrained, intermediate, coarse) or a reward file (YAML, or JSON when its name ends in .json): the reward section itself or wrapped in 'reward:'.")
        var reward: String

        @Option(help: "Override the reward's fidelity: paper or toolrl-code.")
        var fidelity: RewardFidelity?

        @Option(name: .customLong("total-steps"), help: "Steps in the run, for schedule progress = step / total-steps.")
        var totalSteps: Int = 105

        @Option(help: "JSON-lines input file (default: standard input).")
        var input: String?

        @Option(help: "Output file (default: standard output). Written only when every line scores.")
        var output: String?

        @Flag(name: .customLong("skip-bad"), help: "Report malformed lines on standard error and skip them instead of stopping.")
        var skipBad = false

        @Flag(help: "Serve rewards until stopped: batch requests as JSON lines (docs/external.md).")
        var serve = false

        @Option(name: .customLong("socket"), help: "With --serve: listen on this Unix socket path instead of standard input/output.")
        var socketPath: String?

        func validate() throws {
            if serve, input != nil || output != nil || skipBad {
                throw ValidationError("--serve answers requests; --input, --output and --skip-bad are for scoring a file")
            }
            if socketPath != nil, !serve { throw ValidationError("--socket needs --serve") }
            guard totalSteps > 0 else { throw ValidationError("--total-steps must be a positive number of steps") }
        }

        func run() throws {
            var spec = try readingInput { try loadRewardSpec(reward) }
            if let fidelity { spec.fidelity = fidelity }
            let scoring = try readingInput { try ToolCallReward(spec: spec) }
            if serve { try serveRewards(RewardService(reward: scoring, totalSteps: totalSteps)) }
            let scorer = LineScorer(reward: scoring, totalSteps: totalSteps)

            let inputName = input ?? "<stdin>"
            let inputHandle: FileHandle
            if let input {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue {
                    throw BadInput("input '\(input)' is a directory; give a JSON-lines file")
                }
                guard let handle = FileHandle(forReadingAtPath: input) else { throw BadInput("cannot open input file '\(input)'") }
                inputHandle = handle
            } else {
                inputHandle = .standardInput
            }
            let destination = try output.map { try ScoreDestination(path: $0) }
            let outputHandle = destination?.handle ?? .standardOutput
            do {
                let summary = try scorer.run(input: inputHandle, output: outputHandle, skipBad: skipBad) { error in
                    Terminal.printError("skipped \(inputName):\(error.line): \(error.message)")
                }
                try destination?.commit()
                if summary.skipped > 0 {
                    Terminal.printError("scored \(summary.scored) lines, skipped \(summary.skipped)")
                }
            } catch let error as LineScoringError {
                destination?.abandon()
                throw BadInput("\(inputName):\(error.line): \(error.message) (use --skip-bad to skip such lines)")
            } catch {
                destination?.abandon()
                let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? Error ?? error
                throw BadInput("cannot read \(inputName) or write \(output ?? "<stdout>"): \(underlying.localizedDescription)")
            }
        }

        /// Answers requests until standard input ends (or, on a socket, until SIGINT/SIGTERM).
        func serveRewards(_ service: RewardService) throws -> Never {
            signal(SIGPIPE, SIG_IGN)
            guard let socketPath else {
                RewardServer.serve(service, input: STDIN_FILENO, output: STDOUT_FILENO, isSocket: false)
                Foundation.exit(0)
            }
            // Blocked before the server's threads start, so they inherit the mask and sigwait here
            // receives the signal.
            var stopSignals = sigset_t()
            sigemptyset(&stopSignals)
            sigaddset(&stopSignals, SIGINT)
            sigaddset(&stopSignals, SIGTERM)
            pthread_sigmask(SIG_BLOCK, &stopSignals, nil)
            let server = try readingInput { try RewardServer(service: service, socketPath: socketPath) }
            Terminal.printError("serving rewards (\(service.reward.spec.preset.rawValue), \(service.reward.spec.fidelity.rawValue)) on \(socketPath)")
            var received: Int32 = 0
            sigwait(&stopSignals, &received)
            server.stop()
            Foundation.exit(0)
        }

        /// A preset name, or a reward file.
        func loadRewardSpec(_ argument: String) throws -> RewardSpec {
            if let preset = RewardPreset(rawValue: argument) { return RewardSpec(preset: preset) }
            guard FileManager.default.fileExists(atPath: argument) else {
                throw BadInput("--reward '\(argument)' is neither a preset (\(RewardPreset.allowedValues)) nor an existing file")
            }
            return try RewardSpec.load(file: argument)
        }
    }
}
