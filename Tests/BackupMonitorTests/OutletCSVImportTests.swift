import Testing

@testable import BackupMonitor

@Suite("Outlet CSV import (SPEC §2)")
struct OutletCSVImportTests {
    @Test func readsQuotedFieldsBOMAndCRLF() throws {
        let text =
            "\u{FEFF}Code,host,PORT,name,region,enabled\r\nOUT1,10.0.0.1,,\"Mall, \"\"East\"\"\",North,yes\r\n\r\nOUT2,,1445,Two,,0\r\n"
        let outlets = try OutletCSVImport.parse(text)
        #expect(outlets.count == 2)
        #expect(outlets[0] == Outlet(code: "OUT1", host: "10.0.0.1", name: "Mall, \"East\"", region: "North"))
        #expect(outlets[1] == Outlet(code: "OUT2", port: 1445, name: "Two", enabled: false))
    }

    @Test func acceptsTheOriginalColumnName() throws {
        #expect(try OutletCSVImport.parse("OutletServer\nOUTLET001\n").map(\.code) == ["OUTLET001"])
    }

    @Test func everyBadRowIsNamedByLineAndNothingIsReturned() {
        let text = """
            code,host,port,enabled
            OUT1,h1,445,true
            OUT 2,h2,445,true
            OUT3,h3,99999,maybe
            OUT1,h4,445,true
            OUT5,h5
            """
        #expect {
            try OutletCSVImport.parse(text)
        } throws: { error in
            guard let failure = error as? OutletCSVImport.Failure else { return false }
            let lines = failure.problems.map(\.line)
            return lines == [3, 4, 4, 5, 6] && failure.description.contains("line 5: code OUT1 already on line 2")
        }
    }

    @Test(arguments: [
        ("", 1), ("host\nh1\n", 1), ("code,colour\nOUT1,red\n", 1), ("code\n\"OUT1\n", 2), ("code\nOU\"T1\n", 2),
    ])
    func malformedFilesAreRefusedWithALine(_ text: String, _ line: Int) {
        #expect {
            try OutletCSVImport.parse(text)
        } throws: { error in
            (error as? OutletCSVImport.Failure)?.problems.first?.line == line
        }
    }
}
