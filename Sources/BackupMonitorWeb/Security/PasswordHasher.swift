import BackupMonitor
import HummingbirdBcrypt
import NIOPosix

/// bcrypt password hashing (SPEC §11), run on NIO's thread pool: a hash takes a quarter
/// second at the default cost, far too long to block an event loop.
public struct PasswordHasher: PasswordHashing {
    /// bcrypt's work factor; tests use the minimum (4) to stay fast.
    public var cost: UInt8

    public init(cost: UInt8 = 12) {
        self.cost = cost
    }

    public func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
