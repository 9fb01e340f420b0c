import Foundation
import Synchronization

/// Per-outlet, per-mode SMB credentials (SPEC §2, §11), for the API, the Settings page, the
/// CSV import, the CLI and the scanner alike: passwords are sealed before they reach the
/// database and opened only to log on; nothing here ever returns one.
public struct OutletCredentials: Sendable {
    public let repository: CredentialRepository
    private let key: SecretKeySource
    private let defaultDomain: String
    private let opened = OpenedBox()

    public init(database: MonitorDatabase, key: SecretKeySource, defaultDomain: String = "") {
        repository = CredentialRepository(database: database)
        self.key = key
        self.defaultDomain = defaultDomain
    }

    /// What a front-end may show of an outlet's overrides: the login, and whether a password is set.
    public struct Status: Sendable, Hashable {
        public var mode: ScanMode
        public var login: String
    }

    /// A login and password to set for one mode, as a front-end received them.
    public struct Change: Sendable, Hashable {
        public var mode: ScanMode
        /// nil: remove the override (the configured account applies again).
        public var login: String?
        public var password: String?

        public init(mode: ScanMode, login: String?, password: String?) {
            self.mode = mode
            self.login = login
            self.password = password
        }
    }

    /// The box of the configured key, opened once (the key file is created on first use).
    func box() throws -> SecretBox {
        try opened.box { try key.box() }
    }

    /// The sealed row a change makes, or nil to remove the override; a change needs both a
    /// login and a password (the field named when one is missing).
    func sealed(_ change: Change, code: String) throws -> SealedCredential? {
        let login = change.login?.trimmingWhitespace() ?? ""
        let password = change.password ?? ""
        if login.isEmpty && password.isEmpty { return nil }
        // The API's field names (the CSV and the form say the same in their own words).
        let (userField, passwordField) =
            change.mode == .ddrive ? ("username", "password") : ("ibstorageUsername", "ibstoragePassword")
        guard !login.isEmpty else {
            throw UseCaseError.invalid("a password override needs its user", field: userField)
        }
        guard !password.isEmpty else {
            throw UseCaseError.invalid("a user override needs its password", field: passwordField)
        }
        guard login.count <= 256 else { throw UseCaseError.invalid("the user is longer than 256", field: userField) }
        guard password.utf8.count <= 1024 else {
            throw UseCaseError.invalid("the password is longer than 1024 bytes", field: passwordField)
        }
        return SealedCredential(
            outletCode: code, mode: change.mode, login: login,
            passwordSealed: try box().seal(password, for: Self.context(code, change.mode)))
    }

    /// Changes checked and sealed, ready to write: a bad change throws before anything is stored.
    public struct Prepared: Sendable {
        fileprivate var rows: [(row: SealedCredential?, mode: ScanMode)]
    }

    public func prepare(_ changes: [Change], code: String) throws -> Prepared {
        Prepared(rows: try changes.map { (try sealed($0, code: code), $0.mode) })
    }

    public func write(_ prepared: Prepared, code: String) async throws {
        for (row, mode) in prepared.rows { try await repository.set(row, code: code, mode: mode) }
    }

    public func apply(_ changes: [Change], code: String) async throws {
        try await write(try prepare(changes, code: code), code: code)
    }

    /// Every outlet's overrides, by code, for lists.
    public func statuses() async throws -> [String: [Status]] {
        Dictionary(
            grouping: try await repository.all().map {
                (code: $0.outletCode, status: Status(mode: $0.mode, login: $0.login))
            }, by: \.code
        )
        .mapValues { $0.map(\.status) }
    }

    public func status(of code: String) async throws -> [Status] {
        try await repository.credentials(of: code).map { Status(mode: $0.mode, login: $0.login) }
    }

    /// Outlets with an override for `mode`, by code, opened for logging on. An outlet with a
    /// D-Drive override and none for IBSTORAGE uses it for both, as `SMB_USER` defaults to `USER`.
    public func accounts(mode: ScanMode) async throws -> [String: SMBAccount] {
        // Ordered by mode (ddrive < ibstorage): for IBSTORAGE an outlet's own row replaces its D-Drive one.
        let rows = try await repository.all().filter { mode == .ibstorage || $0.mode == .ddrive }
        guard !rows.isEmpty else { return [:] }
        var chosen: [String: SealedCredential] = [:]
        for row in rows { chosen[row.outletCode] = row }
        let box = try box()
        var accounts: [String: SMBAccount] = [:]
        for row in chosen.values {
            let password = try open(row, box)
            accounts[row.outletCode] = SMBAccount(login: row.login, password: password, defaultDomain: defaultDomain)
        }
        return accounts
    }

    /// Checks at start-up that every sealed password opens with the configured key: a wrong or
    /// missing key stops the monitor with a sentence naming the variable, not a scan later.
    public func verifyKey() async throws {
        // The box first: on a first start this creates the key file.
        let box = try box()
        for row in try await repository.all() { _ = try open(row, box) }
    }

    /// Re-seals every password under `newKey`, in one transaction; returns how many.
    public func rotate(to newKey: SecretBox) async throws -> Int {
        let rows = try await repository.all()
        let box = try box()
        let resealed = try rows.map { row in
            var row = row
            row.passwordSealed = try newKey.seal(try open(row, box), for: Self.context(row.outletCode, row.mode))
            return row
        }
        try await repository.reseal(resealed)
        return resealed.count
    }

    private func open(_ row: SealedCredential, _ box: SecretBox) throws -> String {
        do {
            return try box.open(row.passwordSealed, for: Self.context(row.outletCode, row.mode))
        } catch {
            let variable: String
            if case .file = key { variable = "SECRET_KEY_FILE" } else { variable = "SECRET_KEY" }
            throw ConfigurationError(
                variable: variable,
                problem:
                    "cannot open the password override of \(row.outletCode) (\(row.mode.rawValue)): \(error); "
                    + "set the key it was sealed with (key id \(box.keyID) is configured)")
        }
    }

    /// What a sealed password is bound to: its outlet and mode.
    static func context(_ code: String, _ mode: ScanMode) -> String { "outlet-credential/\(code)/\(mode.rawValue)" }
}

/// The key's box, made on first use and kept.
private final class OpenedBox: Sendable {
    private let state = Mutex<SecretBox?>(nil)

    func box(_ make: () throws -> SecretBox) throws -> SecretBox {
        try state.withLock { box in
            if let box { return box }
            let made = try make()
            box = made
            return made
        }
    }
}
