import Foundation
import SMB2

/// The production folder source: our SMB2/3 client, one session per outlet, one tree connect
/// per share tried; SMB errors classified into SPEC §4's failure kinds.
public struct SMBFolderSource: RemoteFolderSource {
    private let client: SMB2Client

    public init(connectTimeout: Duration, requestTimeout: Duration) {
        var configuration = SMB2ClientConfiguration()
        configuration.connectTimeout = connectTimeout
        configuration.requestTimeout = requestTimeout
        self.client = SMB2Client(configuration: configuration)
    }

    public func withSession<T: Sendable>(
        host: String, port: Int, account: SMBAccount, admission: (@Sendable () async throws -> Void)?,
        _ body: @Sendable (any RemoteFolderSession) async throws -> T
    ) async throws -> T {
        let credentials = account
        do {
            return try await client.withSession(
                host: host, port: port, credentials: credentials, afterConnect: admission
            ) { session in
                try await body(Session(session: session))
            }
        } catch let error as SMB2Error {
            throw Self.classify(error, share: nil, folder: nil)
        }
    }

    /// Checks run on the SMB client's event loops: no thread hop per request or deadline.
    public func makeCheckExecutor() -> (any ScanCheckExecutor)? {
        client.makeTaskExecutor()
    }

    private struct Session: RemoteFolderSession {
        let session: SMB2Session

        func list(share: String, folder: String) async throws -> [RemoteFile] {
            do {
                return Self.files(try await session.listDirectory(share: share, path: folder))
            } catch let error as SMB2Error {
                throw SMBFolderSource.classify(error, share: share, folder: folder)
            }
        }

        /// All shares in one compound; a lost connection or timeout fails them all (thrown).
        func list(shares: [String], folder: String) async throws -> [Swift.Result<[RemoteFile], ListingError>] {
            let results: [Swift.Result<[SMB2DirectoryEntry], SMB2Error>]
            do {
                results = try await session.listDirectories(shares: shares, path: folder)
            } catch let error as SMB2Error {
                throw SMBFolderSource.classify(error, share: nil, folder: folder)
            }
            return zip(shares, results).map { share, result in
                result.map(Self.files).mapError { SMBFolderSource.classify($0, share: share, folder: folder) }
            }
        }

        private static func files(_ entries: [SMB2DirectoryEntry]) -> [RemoteFile] {
            entries.map { entry in
                RemoteFile(
                    name: entry.name, lastWriteTime: entry.lastWriteTime.date, size: entry.endOfFile,
                    isDirectory: entry.isDirectory)
            }
        }
    }

    /// `cannot connect to …` as a sentence: capitalised, with a full stop.
    private static func sentence(_ message: String) -> String {
        guard let first = message.first else { return message }
        return first.uppercased() + message.dropFirst() + (message.hasSuffix(".") ? "" : ".")
    }

    /// What a logon refusal means for the person who fixes it.
    private static func logonReason(_ status: NTStatus?, _ message: String) -> String {
        switch status {
        case .logonFailure?: "wrong user name or password"
        case .accountDisabled?: "the account is disabled"
        case .accountLockedOut?: "the account is locked out"
        case .accountExpired?: "the account has expired"
        case .passwordExpired?, .passwordMustChange?: "the password has expired and must be changed"
        case .accountRestriction?, .invalidLogonHours?, .invalidWorkstation?:
            "the account may not log on here or now"
        default: message
        }
    }

    /// SMB2 error categories → SPEC §4 kinds, with a sentence that names what was tried.
    public static func classify(_ error: SMB2Error, share: String?, folder: String?) -> ListingError {
        let status = error.status.map { " (\($0))" } ?? ""
        switch error.category {
        case .unreachable:
            return ListingError(.unreachable, sentence(error.message), timedOut: error.isTimeout)
        case .timeout:
            return ListingError(.unreachable, "Timed out: \(error.message)", timedOut: true)
        case .auth:
            return ListingError(.auth, "Logon refused\(status): \(logonReason(error.status, error.message)).")
        case .accessDenied:
            let target = share.map { " to \($0)\\\(folder ?? "")" } ?? ""
            return ListingError(.accessDenied, "Access denied\(target)\(status).")
        case .shareMissing:
            return ListingError(.shareMissing, "The share \(share ?? "?") does not exist\(status).")
        case .folderMissing:
            return ListingError(.folderMissing, "The folder \(folder ?? "?") is not on \(share ?? "?")\(status).")
        case .noSuchFile:
            return ListingError(.noBackup, "No files in \(share ?? "?")\\\(folder ?? "")\(status).")
        default:
            return ListingError(.protocol, "SMB protocol error\(status): \(error.message)")
        }
    }
}

extension SMB2TaskExecutor: ScanCheckExecutor {
    public func deadline(after delay: Duration, _ fire: @escaping @Sendable () -> Void) -> @Sendable () -> Void {
        let timer = schedule(after: delay, fire)
        return { timer.cancel() }
    }
}
