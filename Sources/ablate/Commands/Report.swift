import ArgumentParser

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "(being built)")
    func run() throws { throw BadInput("'ablate report' is not built yet") }
}
