import Foundation
import Testing

@testable import SMB2

/// SPEC §5 content verification: a file's first and last blocks in one compound, against real
/// Samba, at every dialect (2.0.2 has no multi-credit: 64 KiB per request at most).
@Suite("Reading a file's head and tail (Samba fleet)", .enabled(if: Fleet.shouldRun), .serialized)
struct FileSampleIntegrationTests {
    /// Writes `bytes` next to the outlet's backups for the length of `body` (not a backup name,
    /// so no scan test sees it).
    func withFile<R>(_ bytes: [UInt8], _ body: (FleetManifest, FleetManifest.Outlet, String) async throws -> R)
        async throws -> R
    {
        let manifest = try Fleet.manifest()
        let outlet = try manifest.outlet()
        let name = "zz-sample-test-\(UInt32.random(in: 0...UInt32.max)).bin"
        let path = manifest.diskPath(outlet) + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try await body(manifest, outlet, manifest.folder + "/" + name)
    }

    /// One session, one `readSample` of `path` (64 KiB blocks), as the listing gave `size`.
    static func readSample(
        _ manifest: FleetManifest, _ outlet: FleetManifest.Outlet, path: String, size: Int,
        client: SMB2Client = Fleet.client()
    ) async throws -> SMB2FileSample {
        try await client.withSession(host: outlet.host, port: outlet.port, credentials: manifest.account("ddrive")) {
            session in
            try await session.readSample(share: manifest.share, path: path, size: UInt64(size), blockSize: 65_536)
        }
    }

    static func pattern(_ count: Int, seed: UInt8) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31) &+ seed }
    }

    @Test(arguments: SMB2Dialect.all)
    func headAndTailOfALargeFileAreItsFirstAndLastBlocks(dialect: SMB2Dialect) async throws {
        let file = Self.pattern(300_000, seed: 7)
        try await withFile(file) { manifest, outlet, path in
            let sample = try await Self.readSample(
                manifest, outlet, path: path, size: file.count, client: Fleet.client { $0.dialects = [dialect] })
            #expect(sample.endOfFile == UInt64(file.count))
            #expect(sample.head == Array(file.prefix(65_536)))
            #expect(sample.tail == Array(file.suffix(65_536)))
            #expect(sample.tailOffset == UInt64(file.count - 65_536))
        }
    }

    @Test func aSmallFileIsReadWholeInTheHead() async throws {
        let file = Self.pattern(1000, seed: 1)
        try await withFile(file) { manifest, outlet, path in
            let sample = try await Self.readSample(manifest, outlet, path: path, size: 1000)
            #expect(sample.head == file)
            #expect(sample.tail.isEmpty)
        }
    }

    @Test func aFileShorterThanTheListingSaidIsReadAsItIsNow() async throws {
        let file = Self.pattern(100_000, seed: 3)
        try await withFile(file) { manifest, outlet, path in
            let sample = try await Self.readSample(manifest, outlet, path: path, size: 500_000)
            #expect(sample.endOfFile == 100_000)
            #expect(sample.head == Array(file.prefix(65_536)))
            #expect(sample.tail.isEmpty)
        }
    }

    @Test func aMissingFileFailsAsTheListingWould() async throws {
        let manifest = try Fleet.manifest()
        let outlet = try manifest.outlet()
        do {
            _ = try await Self.readSample(manifest, outlet, path: manifest.folder + "/no-such-file.bak", size: 10)
            Issue.record("reading a missing file succeeded")
        } catch let error as SMB2Error {
            #expect(error.status == .objectNameNotFound, "\(error)")
        }
    }
}
