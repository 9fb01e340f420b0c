import BackupMonitorTesting
import Foundation
import SMB2
import Testing

@testable import BackupMonitor

/// Each failure kind reads as one clear sentence (SPEC §4 `errorDetails`): what a person acts on.
@Suite("Failure sentences")
struct FailureSentenceTests {
    @Test func aRefusedConnectionSaysSoOnce() {
        let error = SMB2Error(
            category: .unreachable,
            message: "cannot connect to 10.1.2.3:445: connection refused (nothing answers on that port)")
        #expect(
            SMBFolderSource.classify(error, share: "d$", folder: "BackupFull").message
                == "Cannot connect to 10.1.2.3:445: connection refused (nothing answers on that port).")
    }

    @Test(arguments: [
        (NTStatus.logonFailure, "Logon refused (STATUS_LOGON_FAILURE): wrong user name or password."),
        (NTStatus.accountDisabled, "Logon refused (STATUS_ACCOUNT_DISABLED): the account is disabled."),
        (NTStatus.accountLockedOut, "Logon refused (STATUS_ACCOUNT_LOCKED_OUT): the account is locked out."),
    ])
    func aLogonRefusalSaysWhatToFix(_ status: NTStatus, _ sentence: String) {
        let error = SMB2Error(category: .auth, status: status, message: "SESSION_SETUP (logon) failed: \(status)")
        #expect(SMBFolderSource.classify(error, share: "d$", folder: "BackupFull").message == sentence)
    }

    @Test func sizesThatRoundAlikeShowTheirBytes() {
        let verdict = BackupEvaluator(timeZone: .gmt).evaluate(
            [RemoteFile(name: "a.bak", lastWriteTime: Date(timeIntervalSince1970: 1_795_741_200), size: 1_048_575)],
            on: CalendarDay("2026-11-27")!)
        #expect(verdict.failureKind == .tooSmall)
        #expect(
            verdict.details?.contains("is 1024.00 KB (1048575 bytes); at least 1.00 MB (1048576 bytes) is expected.")
                == true)
        #expect(BackupEvaluator.size(10, beside: 1_048_576) == ByteCountText.format(10))
    }

    @Test func anImpossibleDayIsNamedAsSuch() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let scans = try ScanRequestsTests.requests(database, now: Date(timeIntervalSince1970: 1_795_741_200))
            let impossible = try await refusal { _ = try scans.day(text: "2026-02-30", field: "--date") }
            #expect(impossible?.message == "--date 2026-02-30 is not a real date")
            let misshaped = try await refusal { _ = try scans.day(text: "30.02.2026", field: "--date") }
            #expect(misshaped?.message == "--date must be YYYY-MM-DD, got \"30.02.2026\"")
        }
    }
}
