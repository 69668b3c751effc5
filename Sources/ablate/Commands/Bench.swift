import ArgumentParser

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "(being built)")
    func run() throws { throw BadInput("'ablate bench' is not built yet") }
}
