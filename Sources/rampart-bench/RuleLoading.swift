import Foundation
import Rules

/// The loadable ET Open rules, in file order across the sorted file list.
func loadRules(directory: String, variables: VariableScope) -> (rules: [Rule], total: Int) {
    let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".rules") }.sorted()
    var rules: [Rule] = []
    var total = 0
    for file in files {
        guard let text = try? String(contentsOfFile: directory + "/" + file, encoding: .utf8) else {
            print("warning: cannot read \(file)")
            continue
        }
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            total += 1
            do throws(RuleError) {
                rules.append(try RulesParser.parseRule(String(line), line: number + 1, variables: variables))
            } catch {
                continue
            }
        }
    }
    return (rules, total)
}
