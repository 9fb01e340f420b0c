import Foundation
import Synchronization

@testable import BackupMonitor

/// A fleet described share by share: for each host, which shares exist, which of them hold the
/// folder and with which files, and what fails. It can say "the folder is on g$ only", which
/// ``FakeFleet`` (one file on every share) cannot, and it records each listing asked of it.
final class FakeShares: RemoteFolderSource {
    /// What one share of a host holds.
    enum Share: Sendable {
        /// The folder is there, with these files.
        case folder([RemoteFile])
        /// The share exists, the folder does not.
        case noFolder
        /// Listing this share fails so (an access-denied folder, say).
        case failing(ListingError)
    }

    private struct Host {
        var shares: [String: Share] = [:]
        /// Thrown when the session starts (an unreachable host, refused credentials).
        var sessionFailure: (any Error)?
        /// The session never answers (only the outlet deadline ends it).
        var hangs = false
        /// Sessions that time out (after admission, like an SMB request timeout) before one answers.
        var timeOutsLeft = 0
        /// Sessions asked of this host (admitted or not).
        var sessions = 0
        /// Each `list(shares:folder:)` call: the shares asked together.
        var batches: [[String]] = []
    }

    private let hosts = Mutex<[String: Host]>([:])

    /// `host` has exactly these shares (any other share is missing).
    func host(_ host: String, _ shares: [String: Share]) {
        hosts.withLock { $0[host, default: Host()].shares = shares }
    }

    func failSessions(of host: String, with error: any Error) {
        hosts.withLock { $0[host, default: Host()].sessionFailure = error }
    }

    func hang(_ host: String) {
        hosts.withLock { $0[host, default: Host()].hangs = true }
    }

    /// The next `times` sessions with `host` time out once admitted; later ones answer.
    func timeOut(_ host: String, times: Int = .max) {
        hosts.withLock { $0[host, default: Host()].timeOutsLeft = times }
    }

    /// How many sessions were asked of `host`.
    func sessions(_ host: String) -> Int {
        hosts.withLock { $0[host]?.sessions ?? 0 }
    }

    /// The shares asked of `host`, one array per round trip, in order.
    func batches(_ host: String) -> [[String]] {
        hosts.withLock { $0[host]?.batches ?? [] }
    }

    func withSession<T: Sendable>(
        host: String, port: Int, account: SMBAccount, admission: (@Sendable () async throws -> Void)?,
        _ body: @Sendable (any RemoteFolderSession) async throws -> T
    ) async throws -> T {
        let (failure, hangs) = hosts.withLock { hosts in
            hosts[host, default: Host()].sessions += 1
            return (hosts[host]?.sessionFailure, hosts[host]?.hangs ?? false)
        }
        if let failure { throw failure }
        try await admission?()
        let timesOut = hosts.withLock { hosts -> Bool in
            guard let left = hosts[host]?.timeOutsLeft, left > 0 else { return false }
            hosts[host]?.timeOutsLeft = left - 1
            return true
        }
        if timesOut {
            throw ListingError(.unreachable, "Timed out: no answer to session setup within 5.0 s", timedOut: true)
        }
        if hangs {
            // Far beyond any outlet deadline in these tests; cancellation ends it.
            try await Task.sleep(for: .seconds(3600))
        }
        return try await body(Session(host: host, fleet: self))
    }

    fileprivate func list(host: String, share: String, folder: String) throws -> [RemoteFile] {
        switch hosts.withLock({ $0[host]?.shares[share] }) {
        case nil: throw ListingError(.shareMissing, "The share \(share) does not exist.", share: share)
        case .noFolder?: throw ListingError(.folderMissing, "No \(folder) folder on \(share).", share: share)
        case .failing(let error)?: throw error
        case .folder(let files)?: return files
        }
    }

    fileprivate func record(host: String, batch: [String]) {
        hosts.withLock { $0[host, default: Host()].batches.append(batch) }
    }

    private struct Session: RemoteFolderSession {
        let host: String
        let fleet: FakeShares

        func list(share: String, folder: String) async throws -> [RemoteFile] {
            try fleet.list(host: host, share: share, folder: folder)
        }

        /// One round trip for several shares, as SMB's compound does.
        func list(shares: [String], folder: String) async throws -> [Swift.Result<[RemoteFile], ListingError>] {
            fleet.record(host: host, batch: shares)
            return shares.map { share in
                Swift.Result { try fleet.list(host: host, share: share, folder: folder) }
                    .mapError { $0 as? ListingError ?? ListingError(.protocol, "\($0)") }
            }
        }
    }
}
