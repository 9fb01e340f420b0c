import Testing

@testable import SMB2

@Suite("Session keys ([MS-SMB2] 3.2.5.3.1): cipher keys derived on first use")
struct SessionKeysTests {
    private static let exported = [UInt8](repeating: 0x5A, count: 16)
    private static let preauthHash = (0..<64).map { UInt8($0) }

    @Test("deferred cipher keys are the keys derived at once", arguments: [SMB2Dialect.smb300, .smb302, .smb311])
    func deferredEqualsEager(dialect: SMB2Dialect) {
        let eager = SMB2SessionKeys(sessionKey: Self.exported, dialect: dialect, preauthHash: Self.preauthHash)
        var deferred = SMB2SessionKeys(
            sessionKey: Self.exported, dialect: dialect, preauthHash: Self.preauthHash, deferCipherKeys: true)
        #expect(deferred.signing == eager.signing)
        #expect(deferred.encryption.isEmpty && deferred.decryption.isEmpty)
        deferred.deriveCipherKeys()
        #expect(deferred.encryption == eager.encryption && deferred.decryption == eager.decryption)
        #expect(eager.encryption.count == 16 && eager.decryption.count == 16)
        #expect(eager.encryption != eager.decryption)
        deferred.deriveCipherKeys()  // idempotent
        #expect(deferred == eager)
    }

    @Test("SMB 2.x has no cipher keys, derived or not")
    func smb2HasNoCipherKeys() {
        var keys = SMB2SessionKeys(
            sessionKey: Self.exported, dialect: .smb210, preauthHash: [], deferCipherKeys: true)
        keys.deriveCipherKeys()
        #expect(keys.signing == Self.exported)
        #expect(keys.encryption.isEmpty && keys.decryption.isEmpty)
    }
}
