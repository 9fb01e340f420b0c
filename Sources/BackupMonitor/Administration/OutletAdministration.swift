/// Outlets as an admin changes them (SPEC §2), for the API, the Settings page and the CLI alike.
public struct OutletAdministration: Sendable {
    public let outlets: OutletRepository
    /// Per-outlet credentials; without them (a front-end with no key configured), an input or
    /// CSV that sets one is refused.
    public let credentials: OutletCredentials?

    public init(database: MonitorDatabase, credentials: OutletCredentials? = nil) {
        outlets = OutletRepository(database: database)
        self.credentials = credentials
    }

    /// Checks and seals an input's credential changes before anything is stored.
    private func prepareCredentials(_ changes: [OutletCredentials.Change], code: String) throws
        -> OutletCredentials.Prepared?
    {
        guard !changes.isEmpty else { return nil }
        guard let credentials else {
            throw UseCaseError(.unavailable, "per-outlet credentials cannot be set here", field: "password")
        }
        return try credentials.prepare(changes, code: code)
    }

    /// Adds a new outlet; an existing code is a conflict (changing one is `replace`).
    public func create(_ input: OutletInput) async throws -> Outlet {
        let outlet = try input.outlet(code: nil, keeping: nil)
        if try await outlets.outlet(code: outlet.code) != nil {
            throw UseCaseError.conflict("outlet \(outlet.code) already exists; edit it to change it", field: "code")
        }
        let prepared = try prepareCredentials(input.credentialChanges, code: outlet.code)
        try await outlets.save([outlet])
        if let prepared, let credentials { try await credentials.write(prepared, code: outlet.code) }
        return outlet
    }

    /// Creates or replaces the outlet `code`: fields left out take their defaults.
    public func replace(code: String, with input: OutletInput) async throws -> Outlet {
        let existing = try await outlets.outlet(code: code)
        let outlet = try input.outlet(code: code, keeping: existing)
        let prepared = try prepareCredentials(input.credentialChanges, code: outlet.code)
        try await outlets.save([outlet])
        if let prepared, let credentials { try await credentials.write(prepared, code: outlet.code) }
        return outlet
    }

    /// Enables or disables an outlet (scans skip disabled ones).
    public func setEnabled(_ enabled: Bool, code: String) async throws -> Outlet {
        guard var outlet = try await outlets.outlet(code: code) else { throw Self.missing(code) }
        outlet.enabled = enabled
        try await outlets.save([outlet])
        return outlet
    }

    /// Removes an outlet; its records stay in history.
    public func delete(code: String) async throws {
        guard try await outlets.delete(code: code) else { throw Self.missing(code) }
    }

    /// Imports a CSV: every row checked by the outlet rule, each problem naming its line, and
    /// nothing saved unless every row is good. Returns the outlets saved (new or updated).
    public func importCSV(_ text: String) async throws -> [Outlet] {
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n")
        guard !normalised.trimmingWhitespace().isEmpty else {
            throw UseCaseError(.invalid, "the CSV is empty", field: "body", details: ["problems": ["the CSV is empty"]])
        }
        let rows: [OutletCSVImport.Row]
        do {
            rows = try OutletCSVImport.parseRows(normalised)
        } catch {
            let problems = error.problems.map(\.description)
            throw UseCaseError(
                .invalid, "the CSV was not imported: \(problems.count) problem\(problems.count == 1 ? "" : "s")",
                field: "body", details: ["problems": problems])
        }
        // Credentials are checked and sealed first: a bad one names its line, nothing is saved.
        var prepared: [(code: String, credentials: OutletCredentials.Prepared)] = []
        var problems: [String] = []
        for row in rows where !row.credentials.isEmpty {
            do {
                if let sealed = try prepareCredentials(row.credentials, code: row.outlet.code) {
                    prepared.append((row.outlet.code, sealed))
                }
            } catch let error as UseCaseError {
                problems.append("line \(row.line): \(error.message)")
            }
        }
        guard problems.isEmpty else {
            throw UseCaseError(
                .invalid, "the CSV was not imported: \(problems.count) problem\(problems.count == 1 ? "" : "s")",
                field: "body", details: ["problems": problems])
        }
        // An outlet already known keeps what the scanner learnt (the upsert leaves its drive).
        let parsed = rows.map(\.outlet)
        try await outlets.save(parsed)
        if let credentials {
            for (code, sealed) in prepared { try await credentials.write(sealed, code: code) }
        }
        return parsed
    }

    static func missing(_ code: String) -> UseCaseError { .notFound("no outlet \(code)", field: "code") }
}
