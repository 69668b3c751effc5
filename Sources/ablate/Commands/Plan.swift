import ArgumentParser

struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "(being built)")
    func run() throws { throw BadInput("'ablate plan' is not built yet") }
}
