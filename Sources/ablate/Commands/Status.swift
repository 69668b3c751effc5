import ArgumentParser

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "(being built)")
    func run() throws { throw BadInput("'ablate status' is not built yet") }
}
