import ArgumentParser
import Foundation

/// Ablate's exit codes. ArgumentParser's own usage errors (64) are folded into `badInput`.
enum AblateExitCode {
    static let done: Int32 = 0
    static let someRunsFailed: Int32 = 1
    static let badInput: Int32 = 2
    static let interrupted: Int32 = 130
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
        let message = input.description.contains("error: ") ? input.description : "error: \(input.description)"
        FileHandle.standardError.write(Data("\(message)\n".utf8))
        exit(AblateExitCode.badInput)
    }
    let code = Ablate.exitCode(for: error)
    if code == .success { Ablate.exit(withError: error) }
    if code == .validationFailure {
        FileHandle.standardError.write(Data((Ablate.fullMessage(for: error) + "\n").utf8))
        exit(AblateExitCode.badInput)
    }
    if error is ExitCode { exit(code.rawValue) }
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(AblateExitCode.someRunsFailed)
}
