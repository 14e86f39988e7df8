import Foundation

struct Options {
    var rulesDirectory: String?
    var quick = false
    var profile = false
    var runs = 3

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case "--rules-dir":
                index += 1
                guard index < arguments.count else { usage("--rules-dir needs a value") }
                options.rulesDirectory = arguments[index]
            case "--quick":
                options.quick = true
            case "--profile":
                options.profile = true
            case "--runs":
                index += 1
                guard index < arguments.count, let runs = Int(arguments[index]), (1...20).contains(runs) else {
                    usage("--runs needs a number from 1 to 20")
                }
                options.runs = runs
            case "-h", "--help":
                usage(nil)
            default:
                usage("unknown argument '\(arguments[index])'")
            }
            index += 1
        }
        return options
    }

    static func usage(_ problem: String?) -> Never {
        if let problem { FileHandle.standardError.write(Data("rampart-bench: \(problem)\n".utf8)) }
        print("usage: rampart-bench --rules-dir DIR [--quick] [--profile] [--runs N]")
        exit(problem == nil ? 0 : 64)
    }
}
