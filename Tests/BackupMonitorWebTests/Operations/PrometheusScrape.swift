import Foundation
import Testing

/// A strict reader of the Prometheus text format (0.0.4) for the tests: every line is a
/// comment, `# HELP`/`# TYPE`, or a sample `name{label="value",…} number`; every sample belongs
/// to a family with a TYPE; no series appears twice. Problems are collected, not skipped.
struct PrometheusScrape {
    struct Sample: Hashable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    private(set) var samples: [Sample] = []
    private(set) var types: [String: String] = [:]
    private(set) var problems: [String] = []

    init(_ text: String) {
        var seen = Set<String>()
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3)
                if parts.count >= 4, parts[1] == "TYPE" {
                    let name = String(parts[2])
                    if types[name] != nil { problems.append("line \(number + 1): second TYPE for \(name)") }
                    types[name] = String(parts[3])
                }
                continue
            }
            guard let sample = Self.parse(Substring(line)) else {
                problems.append("line \(number + 1): not a sample: \(line)")
                continue
            }
            let key = sample.name + sample.labels.sorted { $0.key < $1.key }.description
            if !seen.insert(key).inserted { problems.append("line \(number + 1): duplicate series \(line)") }
            if types[Self.family(of: sample.name, types: types)] == nil {
                problems.append("line \(number + 1): \(sample.name) has no TYPE")
            }
            samples.append(sample)
        }
    }

    /// `x_bucket`, `x_sum`, `x_count` belong to histogram `x`.
    static func family(of name: String, types: [String: String]) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if types[base] == "histogram" { return base }
        }
        return name
    }

    private static func parse(_ line: Substring) -> Sample? {
        var rest = line
        let nameEnd = rest.firstIndex { $0 == "{" || $0 == " " } ?? rest.endIndex
        let name = String(rest[..<nameEnd])
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }) else {
            return nil
        }
        rest = rest[nameEnd...]
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                guard let equals = rest.firstIndex(of: "=") else { return nil }
                let key = String(rest[..<equals])
                rest = rest[rest.index(after: equals)...]
                guard rest.first == "\"" else { return nil }
                rest = rest.dropFirst()
                var value = ""
                while let character = rest.first, character != "\"" {
                    rest = rest.dropFirst()
                    if character == "\\" {
                        guard let escaped = rest.first else { return nil }
                        rest = rest.dropFirst()
                        value.append(escaped == "n" ? "\n" : escaped)
                    } else {
                        value.append(character)
                    }
                }
                guard rest.first == "\"" else { return nil }
                rest = rest.dropFirst()
                labels[key] = value
                if rest.first == "," { rest = rest.dropFirst() }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { return nil }
        let valueText = rest.dropFirst().split(separator: " ").first.map(String.init) ?? ""
        let value: Double? =
            switch valueText {
            case "+Inf": .infinity
            case "-Inf": -.infinity
            case "NaN": .nan
            default: Double(valueText)
            }
        guard let value else { return nil }
        return Sample(name: name, labels: labels, value: value)
    }

    /// The one sample of `name` with exactly these labels (others may exist), or nil.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    func samples(_ name: String) -> [Sample] { samples.filter { $0.name == name } }
}
