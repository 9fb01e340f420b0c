import Testing

@testable import BackupMonitor

@Suite("CSV cells: RFC 4180 quoting and formula defusing")
struct CSVCellTests {
    @Test func plainTextIsUnchanged() {
        #expect(CSVCell.escape("OUTLET0001_FULL_20261126_0215.bak") == "OUTLET0001_FULL_20261126_0215.bak")
        #expect(CSVCell.escape("Sauvegarde été.bak") == "Sauvegarde été.bak")
        #expect(CSVCell.escape("") == "")
    }

    @Test func quotesSeparatorsQuotesAndLineBreaks() {
        #expect(CSVCell.escape("a,b") == "\"a,b\"")
        #expect(CSVCell.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVCell.escape("one\ntwo") == "\"one\ntwo\"")
        #expect(CSVCell.escape("one\r\ntwo") == "\"one\r\ntwo\"")
        #expect(CSVCell.escape("ünï,cödé") == "\"ünï,cödé\"")
    }

    @Test func defusesFormulas() {
        #expect(CSVCell.escape("=1+1") == "'=1+1")
        #expect(CSVCell.escape("-2") == "'-2")
        #expect(CSVCell.escape("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVCell.escape("\tx") == "'\tx")
        #expect(CSVCell.escape("=A1,B1") == "\"'=A1,B1\"")
        #expect(CSVCell.escape("\rx") == "\"'\rx\"")
    }
}
