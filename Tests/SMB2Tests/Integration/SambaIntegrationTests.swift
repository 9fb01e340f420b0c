import Foundation
import Testing

@testable import SMB2

/// Against the real Samba fleet (scripts/fleet/fleet up). Skipped when the fleet is down,
/// failing with a clear message when REQUIRE_FLEET=1 and the manifest is missing.
@Suite("Samba fleet integration", .enabled(if: Fleet.shouldRun), .serialized)
struct SambaIntegrationTests {
    private func list(
        _ outlet: FleetManifest.Outlet, _ manifest: FleetManifest, account: String = "ddrive", share: String? = nil,
        folder: String? = nil, pattern: String = "*", client: SMB2Client = Fleet.client()
    ) async throws -> (SMB2NegotiatedParameters, [SMB2DirectoryEntry]) {
        try await client.withSession(host: outlet.host, port: outlet.port, credentials: manifest.account(account)) {
            session in
            let entries = try await session.withTree(share ?? manifest.share) { tree in
                try await tree.listDirectory(folder ?? manifest.folder, pattern: pattern)
            }
            return (session.negotiated, entries)
        }
    }

    private func expectFailure(
        _ category: SMB2Error.Category, status: NTStatus? = nil, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> Void
    ) async {
        do {
            try await body()
            Issue.record("expected \(category) error, got success", sourceLocation: sourceLocation)
        } catch let error as SMB2Error {
            #expect(error.category == category, "\(error)", sourceLocation: sourceLocation)
            if let status {
                #expect(error.status == status, "\(error)", sourceLocation: sourceLocation)
                #expect(error.description.contains(status.description), sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("expected SMB2Error, got \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test(.enabled(if: Fleet.offers())) func defaultServerIsSigned311AndListingMatchesDiskAndSMBClient() async throws {
        let manifest = try Fleet.manifest()
        let outlet = try manifest.outlet()
        let (negotiated, entries) = try await list(outlet, manifest)
        #expect(negotiated.dialect == .smb311)
        #expect(negotiated.isSigned)
        #expect(negotiated.signingAlgorithm != nil)
        #expect(negotiated.encryptionCipher != nil)
        #expect(!entries.isEmpty)
        #expect(!entries.contains { $0.name == "." || $0.name == ".." })
        let listed = Set(entries.map(ListedFile.init))
        #expect(listed == (try ListedFile.onDisk(manifest.diskPath(outlet))))
        let smbclient = try ListedFile.fromSMBClient(
            host: outlet.host, share: manifest.share, folder: manifest.folder,
            credentials: try manifest.account("ddrive"))
        #expect(listed == smbclient)
    }

    @Test(.enabled(if: Fleet.offers())) func everyHealthyDialectAndSigningPolicyLists() async throws {
        let manifest = try Fleet.manifest()
        let outlet = try manifest.outlet()
        let expected = try ListedFile.onDisk(manifest.diskPath(outlet))
        for dialect in SMB2Dialect.all {
            let client = Fleet.client { $0.dialects = [dialect] }
            let (negotiated, entries) = try await list(outlet, manifest, client: client)
            #expect(negotiated.dialect == dialect)
            #expect(Set(entries.map(ListedFile.init)) == expected, "dialect \(dialect)")
        }
        for algorithm in [SMB2SigningAlgorithm.aesCMAC, .hmacSHA256, .aesGMAC] {
            let client = Fleet.client { $0.signingAlgorithms = [algorithm] }
            let (negotiated, _) = try await list(outlet, manifest, client: client)
            #expect(negotiated.signingAlgorithm == algorithm)
        }
    }

    @Test(.enabled(if: Fleet.offers()))
    func oneSessionTriesSeveralSharesLikeTheIBStorageScan() async throws {
        let manifest = try Fleet.manifest()
        let outlet = try manifest.outlet()
        let outcomes = try await Fleet.client().withSession(
            host: outlet.host, port: outlet.port, credentials: manifest.account("ibstorage")
        ) { session in
            var outcomes: [String: Result<[SMB2DirectoryEntry], SMB2Error>] = [:]
            for share in manifest.ibStorageDrives {
                do {
                    outcomes[share] = .success(
                        try await session.listDirectory(share: share, path: manifest.ibStorageFolder))
                } catch let error as SMB2Error {
                    outcomes[share] = .failure(error)
                }
            }
            return outcomes
        }
        for share in manifest.ibStorageDrives {
            let onDisk = try? ListedFile.onDisk(
                manifest.diskPath(outlet, share: share, folder: manifest.ibStorageFolder))
            switch outcomes[share] {
            case .success(let entries):
                #expect(Set(entries.map(ListedFile.init)) == onDisk, "\(share)")
            case .failure(let error):
                #expect(onDisk == nil, "\(share) failed with \(error) but exists on disk")
                #expect(error.category == .shareMissing || error.category == .folderMissing, "\(error)")
            case nil:
                Issue.record("no outcome for \(share)")
            }
        }
        #expect(outcomes.values.contains { if case .success = $0 { true } else { false } })
    }

    @Test(.enabled(if: Fleet.offers(network: "signing"))) func signingMandatoryInstance() async throws {
        let manifest = try Fleet.manifest()
        let outlet = try manifest.outlet(network: "signing")
        let (negotiated, entries) = try await list(outlet, manifest)
        #expect(negotiated.serverRequiresSigning)
        #expect(negotiated.isSigned)
        #expect(Set(entries.map(ListedFile.init)) == (try ListedFile.onDisk(manifest.diskPath(outlet))))
    }

    @Test(.enabled(if: Fleet.offers(network: "encrypt")), arguments: [SMB2EncryptionCipher.aes128GCM, .aes128CCM])
    func encryptRequiredShare(cipher: SMB2EncryptionCipher) async throws {
        let manifest = try Fleet.manifest()
        let outlet = try manifest.outlet(network: "encrypt")
        let client = Fleet.client { $0.ciphers = [cipher] }
        let encrypted = try await client.withSession(
            host: outlet.host, port: outlet.port, credentials: manifest.account("ddrive")
        ) { session in
            #expect(session.negotiated.encryptionCipher == cipher)
            return try await session.withTree(manifest.share) { tree in
                let entries = try await tree.listDirectory(manifest.folder)
                #expect(Set(entries.map(ListedFile.init)) == (try ListedFile.onDisk(manifest.diskPath(outlet))))
                return tree.isEncrypted
            }
        }
        #expect(encrypted)
    }

    @Test(.enabled(if: Fleet.offers(network: "smb2_10"))) func smb2Only21Server() async throws {
        let manifest = try Fleet.manifest()
        let outlet = try manifest.outlet(network: "smb2_10")
        let (negotiated, entries) = try await list(outlet, manifest)
        #expect(negotiated.dialect == .smb210)
        #expect(negotiated.signingAlgorithm == .hmacSHA256)
        #expect(negotiated.encryptionCipher == nil)
        #expect(Set(entries.map(ListedFile.init)) == (try ListedFile.onDisk(manifest.diskPath(outlet))))
    }

    @Test(.enabled(if: Fleet.offers(network: "smb1"))) func smb1OnlyServerIsAClearProtocolError() async throws {
        let manifest = try Fleet.manifest()
        let outlet = try manifest.outlet(network: "smb1")
        do {
            _ = try await list(outlet, manifest)
            Issue.record("SMB1-only server accepted SMB2")
        } catch let error as SMB2Error {
            #expect(error.category == .protocolError)
            #expect(error.message == "server does not support SMB2/3 (SMB1 only?)")
        }
    }

    @Test(.enabled(if: Fleet.offers(network: "wrongpass"))) func wrongPasswordDisabledAndLockedAccountsAreAuthErrors()
        async throws
    {
        let manifest = try Fleet.manifest()
        let wrong = try manifest.outlet(network: "wrongpass")
        await expectFailure(.auth, status: .logonFailure) { _ = try await list(wrong, manifest) }
        let healthy = try manifest.outlet()
        await expectFailure(.auth, status: .accountDisabled) {
            _ = try await list(healthy, manifest, account: "disabled")
        }
        await expectFailure(.auth, status: .accountLockedOut) {
            _ = try await list(healthy, manifest, account: "locked")
        }
    }

    @Test(
        .enabled(if: Fleet.offers(ddrive: "share_missing")), .enabled(if: Fleet.offers(ddrive: "folder_missing")),
        .enabled(if: Fleet.offers(ddrive: "access_denied")))
    func missingShareFolderAndDeniedFolder() async throws {
        let manifest = try Fleet.manifest()
        await expectFailure(.shareMissing, status: .badNetworkName) {
            _ = try await list(try manifest.outlet(ddrive: "share_missing"), manifest)
        }
        await expectFailure(.folderMissing) {
            _ = try await list(try manifest.outlet(ddrive: "folder_missing"), manifest)
        }
        await expectFailure(.accessDenied, status: .accessDenied) {
            _ = try await list(try manifest.outlet(ddrive: "access_denied"), manifest)
        }
    }

    @Test(.enabled(if: Fleet.offers())) func patternWithoutMatchesIsAnEmptyListing() async throws {
        let manifest = try Fleet.manifest()
        let (_, entries) = try await list(try manifest.outlet(), manifest, pattern: "*.no-such-extension")
        #expect(entries.isEmpty)
        let (_, bak) = try await list(try manifest.outlet(), manifest, pattern: "*.log")
        #expect(!bak.isEmpty && bak.allSatisfy { $0.name.lowercased().hasSuffix(".log") })
    }

    @Test(.enabled(if: Fleet.offers(ddrive: "many_files"))) func fiveThousandFileFolder() async throws {
        let manifest = try Fleet.manifest()
        let outlet = try manifest.outlet(ddrive: "many_files")
        for size in [1_048_576, 65_536] {
            let client = Fleet.client { $0.queryDirectoryBufferSize = size }
            let (_, entries) = try await list(outlet, manifest, client: client)
            #expect(entries.count >= 5000)
            #expect(Set(entries.map(ListedFile.init)) == (try ListedFile.onDisk(manifest.diskPath(outlet))))
        }
    }

    @Test(.enabled(if: Fleet.offers(ddrive: "non_ascii"))) func nonASCIINamesMatchDiskAndSMBClient() async throws {
        let manifest = try Fleet.manifest()
        let outlet = try manifest.outlet(ddrive: "non_ascii")
        let (_, entries) = try await list(outlet, manifest)
        #expect(entries.contains { $0.name.unicodeScalars.contains { !$0.isASCII } })
        let listed = Set(entries.map(ListedFile.init))
        #expect(listed == (try ListedFile.onDisk(manifest.diskPath(outlet))))
        #expect(
            listed
                == (try ListedFile.fromSMBClient(
                    host: outlet.host, share: manifest.share, folder: manifest.folder,
                    credentials: try manifest.account("ddrive")
                )))
    }

    @Test(.enabled(if: Fleet.offers(network: "slow"))) func slowLinkStillLists() async throws {
        let manifest = try Fleet.manifest()
        let outlet = try manifest.outlet(network: "slow")
        let (_, entries) = try await list(outlet, manifest)
        #expect(!entries.isEmpty)
    }

    @Test(
        .enabled(if: Fleet.offers(network: "refused")), .enabled(if: Fleet.offers(network: "blackholed")),
        .enabled(if: Fleet.offers(network: "tarpit")))
    func refusedBlackholedAndTarpitHosts() async throws {
        let manifest = try Fleet.manifest()
        let fast = Fleet.client {
            $0.connectTimeout = .seconds(1)
            $0.requestTimeout = .seconds(1)
        }
        await expectFailure(.unreachable) { _ = try await list(try manifest.outlet(network: "refused"), manifest) }
        await expectFailure(.unreachable) {
            _ = try await list(try manifest.outlet(network: "blackholed"), manifest, client: fast)
        }
        let start = ContinuousClock.now
        await expectFailure(.timeout) {
            _ = try await list(try manifest.outlet(network: "tarpit"), manifest, client: fast)
        }
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test(.enabled(if: Fleet.offers(network: "tarpit"))) func cancellingTheTaskClosesPromptly() async throws {
        let manifest = try Fleet.manifest()
        let tarpit = try manifest.outlet(network: "tarpit")
        let credentials = try manifest.account("ddrive")
        let task = Task {
            try await SMB2Client.shared.withSession(host: tarpit.host, port: tarpit.port, credentials: credentials) {
                try await $0.listDirectory(share: manifest.share, path: manifest.folder)
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        let start = ContinuousClock.now
        task.cancel()
        do {
            _ = try await task.value
            Issue.record("cancelled listing succeeded")
        } catch let error as SMB2Error {
            #expect(error.category == .cancelled)
        }
        #expect(ContinuousClock.now - start < .seconds(2))
    }
}

/// Every path (success, server errors, timeouts, SMB1, a failing body) must close its channel.
@Suite("Samba fleet: no leaked connections", .enabled(if: Fleet.shouldRun), .serialized)
struct ConnectionLeakTests {
    @Test(
        .enabled(if: Fleet.offers(network: "tarpit")), .enabled(if: Fleet.offers(network: "smb1")),
        .enabled(if: Fleet.offers(network: "wrongpass")))
    func everyOutcomeClosesItsChannel() async throws {
        let manifest = try Fleet.manifest()
        let client = Fleet.client { $0.requestTimeout = .milliseconds(300) }
        let outlets = try [
            manifest.outlet(), manifest.outlet(network: "tarpit"), manifest.outlet(network: "smb1"),
            manifest.outlet(network: "wrongpass"),
        ]
        let credentials = try manifest.account("ddrive")
        for outlet in outlets {
            _ = try? await client.withSession(host: outlet.host, port: outlet.port, credentials: credentials) {
                try await $0.listDirectory(share: manifest.share, path: manifest.folder)
            }
            _ = try? await client.withSession(host: outlet.host, port: outlet.port, credentials: credentials) {
                _ in throw FleetError("body fails")
            }
            _ = try? await client.withSession(host: outlet.host, port: outlet.port, credentials: credentials) {
                try await $0.listDirectory(share: "no-such-share", path: "")
            }
        }
        // closeFuture callbacks run on the event loop just after close completes.
        for _ in 0..<50 where client.openConnectionCount > 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(client.openConnectionCount == 0)
    }
}
