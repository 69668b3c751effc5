import ArgumentParser

struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "score", abstract: "(being built)")
    func run() throws { throw BadInput("'ablate score' is not built yet") }
}
