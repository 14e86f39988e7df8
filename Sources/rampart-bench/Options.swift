import Foundation

struct Options {
    var rulesDirectory: String?
    var quick = false
    var profile = false
    var runs = 3
    /// The rule-set sizes to measure.
    var sets = [0, 1_000, 10_000]

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
            case "--sets":
                index += 1
                let sizes = index < arguments.count ? arguments[index].split(separator: ",").compactMap { Int($0) } : []
                guard !sizes.isEmpty, sizes.allSatisfy({ $0 >= 0 }) else { usage("--sets needs sizes separated by commas") }
                options.sets = sizes
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
        print("usage: rampart-bench --rules-dir DIR [--quick] [--profile] [--runs N] [--sets 0,1000,10000]")
        exit(problem == nil ? 0 : 64)
    }
}
