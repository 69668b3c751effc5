import ArgumentParser

struct Worker: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "worker", abstract: "(being built)")
    func run() throws { throw BadInput("'ablate worker' is not built yet") }
}
