import ArgumentParser
import Foundation

/// Ablate's exit codes. ArgumentParser's own usage errors (64) are folded into `badInput`.
enum AblateExitCode {
    static let done: Int32 = 0
    static let someRunsFailed: Int32 = 1
    static let badInput: Int32 = 2
    static let interrupted: Int32 = 130
}

/// Where the commands write for people: lines on standard output and on standard error, each
/// written straight to its descriptor (`print` would sit in a block buffer behind a pipe).
enum Terminal {
    /// One line on standard error.
    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// One line on standard output, unbuffered.
    static func printOutput(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

/// An input the user must fix (a spec, a config, a flag, a data line): exits with code 2.
struct BadInput: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
    init(_ error: Error) { self.description = String(describing: error) }
}

/// Runs `body`, turning any error it throws into `BadInput`: for parsing user files.
func readingInput<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as BadInput { throw error } catch { throw BadInput(error) }
}

func exitWithAblateCode(for error: Error) -> Never {
    if let input = error as? BadInput {
        // Located diagnostics already read "file:line:column: error: …".
        Terminal.printError(input.description.contains("error: ") ? input.description : "error: \(input.description)")
        exit(AblateExitCode.badInput)
    }
    let code = Ablate.exitCode(for: error)
    if code == .success { Ablate.exit(withError: error) }
    if code == .validationFailure {
        Terminal.printError(Ablate.fullMessage(for: error))
        exit(AblateExitCode.badInput)
    }
    if error is ExitCode { exit(code.rawValue) }
    Terminal.printError("error: \(error)")
    exit(AblateExitCode.someRunsFailed)
}
