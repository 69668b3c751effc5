import ArgumentParser

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "(being built)")
    func run() throws { throw BadInput("'ablate train' is not built yet") }
}
