import Foundation

/// The README's walkthrough: every fenced code block whose info string is exactly
/// `bash walkthrough`, in order, with the exit status each must end with.
///
/// A block's expected status is given by a comment line `# expect: exit N` in the block (the
/// first such line counts), or by an HTML comment `<!-- expect: exit N -->` on the line just
/// before its fence; without either it must exit 0.
struct Walkthrough {
    /// One block.
    struct Block: Equatable, CustomStringConvertible {
        /// The 1-based line of the opening fence in the README.
        var line: Int
        /// The block's text, fences excluded, indentation of the fence removed.
        var script: String
        /// The exit status it must end with.
        var expectedExit: Int32

        var description: String { "walkthrough block at README line \(line)" }
    }

    var blocks: [Block]

    /// The info string that selects a block.
    static let infoString = "bash walkthrough"

    /// The walkthrough blocks of `markdown` (CommonMark fences: three or more backticks or
    /// tildes, indented at most three spaces, closed by a fence of the same character at least as
    /// long; an unclosed block runs to the end).
    init(markdown: String) {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        var blocks: [Block] = []
        var index = 0
        while index < lines.count {
            guard let fence = Fence(opening: lines[index]) else {
                index += 1
                continue
            }
            let openingLine = index
            var body: [String] = []
            index += 1
            while index < lines.count, !fence.isClosed(by: lines[index]) {
                body.append(fence.strippingIndentation(lines[index]))
                index += 1
            }
            index += 1  // the closing fence
            guard fence.info == Self.infoString else { continue }
            var expected: Int32 = 0
            if let status = body.lazy.compactMap(Self.expectedExit(comment:)).first {
                expected = status
            } else if openingLine > 0, let status = Self.expectedExit(htmlComment: lines[openingLine - 1]) {
                expected = status
            }
            blocks.append(Block(line: openingLine + 1, script: body.joined(separator: "\n"), expectedExit: expected))
        }
        self.blocks = blocks
    }

    /// `N` from `# expect: exit N`.
    static func expectedExit(comment line: String) -> Int32? {
        match(line.trimmingCharacters(in: .whitespaces), pattern: #"^#\s*expect:\s*exit\s+(\d+)\s*$"#)
    }

    /// `N` from `<!-- expect: exit N -->`.
    static func expectedExit(htmlComment line: String) -> Int32? {
        match(line.trimmingCharacters(in: .whitespaces), pattern: #"^<!--\s*expect:\s*exit\s+(\d+)\s*-->$"#)
    }

    private static func match(_ text: String, pattern: String) -> Int32? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let result = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(result.range(at: 1), in: text)
        else { return nil }
        return Int32(text[range])
    }

    /// An opening code fence.
    private struct Fence {
        var character: Character
        var length: Int
        var indentation: Int
        var info: String

        init?(opening line: String) {
            let indentation = line.prefix(while: { $0 == " " }).count
            guard indentation <= 3 else { return nil }
            let rest = line.dropFirst(indentation)
            guard let first = rest.first, first == "`" || first == "~" else { return nil }
            let length = rest.prefix(while: { $0 == first }).count
            guard length >= 3 else { return nil }
            let info = rest.dropFirst(length).trimmingCharacters(in: .whitespaces)
            if first == "`", info.contains("`") { return nil }
            self.character = first
            self.length = length
            self.indentation = indentation
            self.info = info
        }

        func isClosed(by line: String) -> Bool {
            let indentation = line.prefix(while: { $0 == " " }).count
            guard indentation <= 3 else { return false }
            let rest = line.dropFirst(indentation)
            let run = rest.prefix(while: { $0 == character }).count
            return run >= length && rest.dropFirst(run).allSatisfy { $0 == " " || $0 == "\t" }
        }

        func strippingIndentation(_ line: String) -> String {
            var removed = 0
            var result = Substring(line)
            while removed < indentation, result.first == " " {
                result = result.dropFirst()
                removed += 1
            }
            return String(result)
        }
    }
}

/// Runs walkthrough blocks one after the other as a reader pasting them into one shell would:
/// each block runs in its own `bash` with `set -euo pipefail` (so its exit status is its own), and
/// the shell variables it sets are carried to the next blocks through a state file.
struct WalkthroughRunner {
    /// The environment every block gets (`RAMPART`, `API`, `TOKEN`, `LAB`, …).
    var environment: [String: String]
    /// Where blocks run (the repository, as after `make run`).
    var workingDirectory: String
    /// Where the carried variables are kept between blocks.
    var stateFile: String
    var timeout: Duration = .seconds(120)

    /// The block wrapped so that it sources the variables earlier blocks set and saves its own.
    func script(for block: Walkthrough.Block) -> String {
        """
        __walkthrough_inherited=" $(compgen -v | tr '\\n' ' ') "
        __walkthrough_save() {
          local __status=$? __name
          for __name in $(compgen -v); do
            case "$__walkthrough_inherited" in *" $__name "*) continue ;; esac
            case "$__name" in __walkthrough_*|__status|__name|BASH_*|FUNCNAME|PIPESTATUS|COMP_*) continue ;; esac
            declare -p "$__name" 2>/dev/null
          done >> \(Subprocess.quote([stateFile]))
          return $__status
        }
        [ -f \(Subprocess.quote([stateFile])) ] && . \(Subprocess.quote([stateFile]))
        trap __walkthrough_save EXIT
        set -euo pipefail
        \(block.script)
        """
    }

    /// Runs `block`.
    func run(_ block: Walkthrough.Block) async throws -> ProcessOutput {
        try await Subprocess.run(
            ["bash", "-c", script(for: block)], timeout: timeout, environment: environment, currentDirectory: workingDirectory
        )
    }
}
