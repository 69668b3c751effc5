import Foundation

/// Runs Slurm's own commands (`sbatch`, `squeue`, `scontrol`, `scancel`, `sacct`) found on PATH,
/// and captures what they print. Everything Ablate knows about a cluster comes through here.
enum SlurmTools {
    struct Output: Sendable {
        var status: Int32
        var standardOutput: String
        var standardError: String

        /// The error text for a message: stderr, else stdout, else the exit status.
        var message: String {
            let text = standardError.trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { return text }
            let out = standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            return out.isEmpty ? "exit status \(status)" : out
        }
    }

    /// The full path of `tool` on PATH, or nil.
    static func path(of tool: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        for directory in directories {
            let candidate = "\(directory)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `tool arguments…` to its end.
    static func run(_ tool: String, _ arguments: [String]) throws -> Output {
        guard let executable = path(of: tool) else {
            throw SlurmError("'\(tool)' is not on PATH: this needs a Slurm cluster's client commands (a login node), or a local one from scripts/slurm-dev-cluster.sh")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        // Files rather than pipes: a long squeue listing cannot fill a pipe nobody is reading yet.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ablate-slurm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outPath = directory.appendingPathComponent("out").path
        let errPath = directory.appendingPathComponent("err").path
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch {
            throw SlurmError("cannot run \(executable): \(error.localizedDescription)")
        }
        process.waitUntilExit()
        try? out.close()
        try? err.close()
        return Output(status: process.terminationStatus,
                      standardOutput: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                      standardError: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    /// Runs `tool` and returns its standard output, throwing when it fails.
    static func check(_ tool: String, _ arguments: [String]) throws -> String {
        let output = try run(tool, arguments)
        guard output.status == 0 else {
            throw SlurmError("\(tool) \(arguments.joined(separator: " ")) failed: \(output.message)")
        }
        return output.standardOutput
    }
}

/// A failure talking to Slurm (a missing command, a refused submission).
public struct SlurmError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
