/// Parses an outlet CSV (SPEC §2): validated row by row, every problem reported with its line
/// number, and nothing returned unless every row is good — so an import is all or nothing.
///
/// Header (any order, case-insensitive): `code` (required), `host`, `port`, `name`, `region`,
/// `enabled`, `share`, `folder`, and the per-outlet credentials `username`, `password`,
/// `ibstorage_username`, `ibstorage_password` (an empty cell leaves that override as it is).
/// `OutletServer` is accepted for `code`, as the original system's exports name it.
public enum OutletCSVImport {
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var problems: [Problem]
        public var description: String {
            "the CSV was not imported (\(problems.count) problem\(problems.count == 1 ? "" : "s")):\n"
                + problems.map { "  \($0)" }.joined(separator: "\n")
        }
    }

    static let knownColumns: Set<String> = [
        "code", "host", "port", "name", "region", "enabled", "share", "folder", "username", "password",
        "ibstorage_username", "ibstorage_password",
    ]

    /// An outlet row and the credential overrides it sets.
    public struct Row: Sendable {
        public var outlet: Outlet
        public var credentials: [OutletCredentials.Change]
        public var line: Int
    }

    public static func parse(_ text: String) throws(Failure) -> [Outlet] {
        try parseRows(text).map(\.outlet)
    }

    public static func parseRows(_ text: String) throws(Failure) -> [Row] {
        let rows: [CSVReader.Row]
        do {
            rows = try CSVReader.rows(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        } catch let error as CSVReader.SyntaxError {
            throw Failure(problems: [Problem(line: error.line, message: error.problem)])
        } catch {
            throw Failure(problems: [Problem(line: 1, message: "\(error)")])
        }
        guard let header = rows.first else {
            throw Failure(problems: [Problem(line: 1, message: "the file is empty; expected a header with 'code'")])
        }
        let names = header.fields.map { name -> String in
            let lowered = name.trimmingWhitespace().lowercased()
            return lowered == "outletserver" ? "code" : lowered
        }
        var problems: [Problem] = []
        for name in names where !knownColumns.contains(name) {
            problems.append(
                Problem(
                    line: header.line,
                    message: "unknown column '\(name)' (known: \(knownColumns.sorted().joined(separator: ", ")))"))
        }
        guard names.contains("code") else {
            problems.append(Problem(line: header.line, message: "the header has no 'code' column"))
            throw Failure(problems: problems)
        }
        var outlets: [Row] = []
        var firstLineOfCode: [String: Int] = [:]
        for row in rows.dropFirst() {
            guard row.fields.count == names.count else {
                problems.append(
                    Problem(line: row.line, message: "\(row.fields.count) fields where the header has \(names.count)"))
                continue
            }
            var values: [String: String] = [:]
            for (name, value) in zip(names, row.fields) { values[name] = value.trimmingWhitespace() }
            switch outlet(from: values) {
            case .success(let outlet):
                if let first = firstLineOfCode[outlet.code] {
                    problems.append(Problem(line: row.line, message: "code \(outlet.code) already on line \(first)"))
                } else {
                    firstLineOfCode[outlet.code] = row.line
                    outlets.append(Row(outlet: outlet, credentials: credentials(from: values), line: row.line))
                }
            case .failure(let messages):
                problems += messages.messages.map { Problem(line: row.line, message: $0) }
            }
        }
        if outlets.isEmpty && problems.isEmpty {
            problems.append(Problem(line: header.line, message: "no outlet rows after the header"))
        }
        guard problems.isEmpty else { throw Failure(problems: problems) }
        return outlets
    }

    private struct Messages: Error { var messages: [String] }

    /// The overrides a row sets: a mode whose two cells are empty is left as it is.
    private static func credentials(from values: [String: String]) -> [OutletCredentials.Change] {
        var changes: [OutletCredentials.Change] = []
        for (mode, prefix) in [(ScanMode.ddrive, ""), (.ibstorage, "ibstorage_")] {
            let login = values[prefix + "username"] ?? ""
            let password = values[prefix + "password"] ?? ""
            if !login.isEmpty || !password.isEmpty {
                changes.append(.init(mode: mode, login: login, password: password))
            }
        }
        return changes
    }

    private static func outlet(from values: [String: String]) -> Result<Outlet, Messages> {
        var messages: [String] = []
        let code = values["code"] ?? ""
        let host = values["host"].flatMap { $0.isEmpty ? nil : $0 }
        var port = 445
        if let text = values["port"], !text.isEmpty {
            if let number = Int(text) { port = number } else { messages.append("port: '\(text)' is not a number") }
        }
        var enabled = true
        if let text = values["enabled"]?.lowercased(), !text.isEmpty {
            switch text {
            case "1", "true", "yes", "y": enabled = true
            case "0", "false", "no", "n": enabled = false
            default: messages.append("enabled: '\(text)' is not true/false")
            }
        }
        let outlet = Outlet(
            code: code, host: host, port: port, name: values["name"] ?? "", region: values["region"] ?? "",
            enabled: enabled, shareOverride: values["share"].flatMap { $0.isEmpty ? nil : $0 },
            folderOverride: values["folder"].flatMap { $0.isEmpty ? nil : $0 })
        messages += outlet.validationProblems.map(\.description)
        return messages.isEmpty ? .success(outlet) : .failure(Messages(messages: messages))
    }
}
