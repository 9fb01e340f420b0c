import Testing

@testable import BackupContent

@Suite("Backup content: what the first and last blocks say")
struct ContentInspectorTests {
    typealias B = SampleBuilders

    func verdict(_ file: [UInt8], _ name: String, block: Int = 65_536) -> ContentVerdict {
        ContentInspector.inspect(B.sample(file, block: block), fileName: name)
    }

    func verifiedFacts(_ verdict: ContentVerdict) -> ContentFacts? {
        if case .verified(let facts) = verdict { return facts }
        return nil
    }

    @Test func aWholeSQLServerBackupIsVerifiedWithItsKindDatabaseAndServer() throws {
        let facts = try #require(verifiedFacts(verdict(B.sqlServerBackup(), "OUTLET0001_FULL.bak")))
        #expect(facts.format == .sqlServer)
        #expect(facts.kind == .full)
        #expect(facts.database == "RetailPOS")
        #expect(facts.server == "OUTLET0001")
        #expect(facts.software == "Microsoft SQL Server")
        #expect(!facts.encrypted)
    }

    @Test(arguments: [(UInt32(0x2), BackupKind.copyOnly), (0x8, .differential), (0x10, .log), (0x4, .full)])
    func theSSETAttributesGiveTheKind(attributes: UInt32, kind: BackupKind) {
        #expect(verifiedFacts(verdict(B.sqlServerBackup(ssetAttributes: attributes), "x.bak"))?.kind == kind)
    }

    @Test func anEncryptedSetIsShownNotFailed() {
        #expect(verifiedFacts(verdict(B.sqlServerBackup(encrypted: true), "x.bak"))?.encrypted == true)
    }

    @Test func aBackupWithoutItsEndIsIncomplete() {
        guard case .incomplete(let why) = verdict(B.sqlServerBackup(withEnd: false), "x.bak") else {
            Issue.record("not incomplete")
            return
        }
        #expect(why.contains("ESET"))
        #expect(why.contains("64 KiB"))
    }

    @Test func aCopyCutInTheMiddleIsIncomplete() {
        let file = B.sqlServerBackup(dataBytes: 400_000)
        guard case .incomplete = verdict(Array(file.prefix(300_000)), "x.bak") else {
            Issue.record("a truncated copy passed")
            return
        }
    }

    @Test func aBrokenTapeHeaderChecksumIsNotABackup() {
        var file = B.sqlServerBackup()
        file[20] ^= 0xFF
        guard case .notABackup(let why) = verdict(file, "x.bak") else {
            Issue.record("a broken TAPE block passed")
            return
        }
        #expect(why.contains("checksum"))
    }

    @Test func aZeroFilledBakIsNotABackupAndSaysSo() {
        #expect(verdict([UInt8](repeating: 0, count: 300_000), "x.bak") == .notABackup("the first 64 KiB are all zero"))
    }

    @Test func aCompressedSQLServerBackupPasses() {
        let file = Array("MSSQLBAK".utf8) + [UInt8](repeating: 7, count: 200_000)
        let facts = verifiedFacts(verdict(file, "x.bak"))
        #expect(facts?.format == .sqlServerCompressed)
        #expect(facts?.compressed == true)
    }

    @Test func aZipWithItsCentralDirectoryPassesAndACutOneIsIncomplete() {
        #expect(verifiedFacts(verdict(B.zip(comment: "made by the test"), "x.zip"))?.format == .zip)
        let file = B.zip(content: [UInt8](repeating: 1, count: 100_000))
        guard case .incomplete = verdict(Array(file.dropLast(30)), "x.zip") else {
            Issue.record("a zip without its end record passed")
            return
        }
    }

    @Test func anHTMLPageNamedZipIsNotABackup() {
        let page = Array("<!DOCTYPE html><html><body>502 Bad Gateway</body></html>".utf8)
        guard case .notABackup(let why) = verdict(page, "OUTLET0001_FULL.zip") else {
            Issue.record("HTML passed")
            return
        }
        #expect(why == "not a ZIP archive: it is an HTML page")
    }

    @Test func sevenZipChecksItsHeadersPlaceAndCRC() {
        #expect(verifiedFacts(verdict(B.sevenZip(), "x.7z"))?.format == .sevenZip)
        guard case .incomplete = verdict(B.sevenZip(finished: false), "x.7z") else {
            Issue.record("an unfinished 7z passed")
            return
        }
        guard case .incomplete(let why) = verdict(Array(B.sevenZip().dropLast(100)), "x.7z") else {
            Issue.record("a cut 7z passed")
            return
        }
        #expect(why.contains("beyond the end"))
    }

    @Test func rar5NeedsItsEndOfArchiveHeader() {
        #expect(verifiedFacts(verdict(B.rar5(), "x.rar"))?.format == .rar5)
        guard case .incomplete = verdict(B.rar5(withEnd: false), "x.rar") else {
            Issue.record("a RAR 5 without its end passed")
            return
        }
    }

    @Test func gzipChecksMethodAndFlags() {
        let good: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3] + [UInt8](repeating: 0x21, count: 100_000)
        #expect(verifiedFacts(verdict(good, "x.gz"))?.format == .gzip)
        var bad = good
        bad[2] = 7
        guard case .notABackup = verdict(bad, "x.gz") else {
            Issue.record("a reserved method passed")
            return
        }
        let zeroTail = Array(good.prefix(70_000)) + [UInt8](repeating: 0, count: 70_000)
        guard case .incomplete = verdict(zeroTail, "x.gz") else {
            Issue.record("a zero tail passed")
            return
        }
    }

    @Test func anUnknownFormatIsNotCheckedAndSaysSo() {
        #expect(
            verdict(Array("BCK1 data".utf8) + [1, 2, 3], "OUTLET0001.bck")
                == .unchecked("the layout of .bck files is not known: content not checked"))
    }

    @Test func contentDecidesBeforeTheName() {
        #expect(verifiedFacts(verdict(B.zip(), "OUTLET0001_FULL.bak"))?.format == .zip)
    }

    @Test func anEmptyFileIsNotABackup() {
        #expect(verdict([], "x.bak") == .notABackup("the file is empty"))
    }

    /// Hostile input: every truncation and every single-byte corruption of every format gives
    /// a verdict, never a trap.
    @Test func everyTruncationAndCorruptionGivesAVerdict() {
        let files: [(String, [UInt8])] = [
            ("x.bak", B.sqlServerBackup(dataBytes: 2000)), ("x.zip", B.zip()), ("x.7z", B.sevenZip(body: [1, 2, 3])),
            ("x.rar", B.rar5(body: [9])),
            ("x.gz", [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
        ]
        for (name, file) in files {
            for length in 0...file.count {
                _ = verdict(Array(file.prefix(length)), name, block: 512)
            }
            for index in stride(from: 0, to: file.count, by: max(1, file.count / 300)) {
                var broken = file
                broken[index] ^= 0xA5
                _ = verdict(broken, name, block: 512)
            }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let count = Int.random(in: 0..<700, using: &generator)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = ContentInspector.inspect(
                ContentSample(
                    head: Array(bytes.prefix(300)), tail: Array(bytes.suffix(200)), fileSize: UInt64(count) + 5),
                fileName: "x.bak")
        }
    }
}
