/// How the scan engine reaches an outlet's folders. Production uses SMB (`SMBFolderSource`);
/// the indirection keeps the engine free of wire details.
public protocol RemoteFolderSource: Sendable {
    /// Opens one authenticated session to `host`, runs `body`, and always closes the session.
    /// `admission`, when given, is awaited once the host is reachable and before the session
    /// starts (the scan's session slots); if it throws, nothing more is sent.
    func withSession<T: Sendable>(
        host: String, port: Int, account: SMBAccount, admission: (@Sendable () async throws -> Void)?,
        _ body: @Sendable (any RemoteFolderSession) async throws -> T
    ) async throws -> T

    /// Where an outlet's check should run, with the timer for its deadline; nil: the default
    /// executor and `Task.sleep`.
    func makeCheckExecutor() -> (any ScanCheckExecutor)?
}

extension RemoteFolderSource {
    public func makeCheckExecutor() -> (any ScanCheckExecutor)? { nil }
}

/// A task executor that can also fire a deadline on its own thread.
public protocol ScanCheckExecutor: TaskExecutor {
    /// Calls `fire` after `delay` unless the returned cancel function is called first.
    func deadline(after delay: Duration, _ fire: @escaping @Sendable () -> Void) -> @Sendable () -> Void
}

/// An open session: lists folders on shares of one outlet.
public protocol RemoteFolderSession: Sendable {
    func list(share: String, folder: String) async throws -> [RemoteFile]

    /// Lists `folder` on each of `shares`, at once where the source can (one round trip for all
    /// IBSTORAGE drives): one result per share, in order. A failure that is about the connection
    /// rather than one share throws.
    func list(shares: [String], folder: String) async throws -> [Swift.Result<[RemoteFile], ListingError>]
}

extension RemoteFolderSession {
    /// One share after the other.
    public func list(shares: [String], folder: String) async throws -> [Swift.Result<[RemoteFile], ListingError>] {
        var results: [Swift.Result<[RemoteFile], ListingError>] = []
        for share in shares {
            do {
                results.append(.success(try await list(share: share, folder: folder)))
            } catch let error as ListingError {
                results.append(.failure(error))
            }
        }
        return results
    }
}

/// A failure reaching or reading an outlet, already classified for SPEC §4.
public struct ListingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var kind: FailureKind
    /// A sentence for people; never holds a password.
    public var message: String
    /// The share the failure is about, when it is about one.
    public var share: String?
    /// Nothing answered in time (connect, a request or the outlet deadline): the failure an
    /// overloaded monitor or network causes too, so the scan tries such outlets a second time.
    public var timedOut: Bool

    public init(_ kind: FailureKind, _ message: String, share: String? = nil, timedOut: Bool = false) {
        self.kind = kind
        self.message = message
        self.share = share
        self.timedOut = timedOut
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
