import BackupMonitor
import Hummingbird
import Testing

@testable import BackupMonitorWeb

/// One reader for API and page queries: the typed readers are shared, only what counts as
/// "given" differs (the API is strict, a form sends empty and repeated fields).
@Suite("Query reader: one set of parameter rules, two styles")
struct QueryReaderTests {
    static func request(_ query: String) -> Request {
        Request(
            head: HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/x?" + query),
            body: RequestBody(buffer: ByteBuffer()))
    }

    static func parameter(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as APIError {
            return error.parameter
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func theAPIRefusesEmptyAndRepeatedValues() throws {
        let api = QueryReader(Self.request("status=&limit=5&limit=6&outlet=OUTLET0023"))
        #expect(Self.parameter { _ = try api.status("status") } == "status")
        #expect(Self.parameter { _ = try api.integer("limit", in: 1...1000) } == "limit")
        #expect(try api.outletCode("outlet") == "OUTLET0023")
        #expect(
            Self.parameter { _ = try QueryReader(Self.request("outlet=%20OUTLET0023")).outletCode("outlet") }
                == "outlet")
    }

    @Test func aPageTakesTheFirstGivenValueTrimmed() throws {
        let page = QueryReader.page(Self.request("status=&outlet=%20OUTLET0023%20&page=2&page=3&from=2026-11-01"))
        #expect(try page.status("status") == nil)
        #expect(try page.outletCode("outlet") == "OUTLET0023")
        #expect(try page.pageNumber() == 2)
        let (from, to) = try page.range(defaultFrom: nil, defaultTo: CalendarDay("2026-11-30"))
        #expect(from == CalendarDay("2026-11-01") && to == CalendarDay("2026-11-30"))
    }

    @Test(arguments: [QueryReader.Style.api, .page])
    func bothStylesShareTheTypedRules(_ style: QueryReader.Style) {
        let reader = QueryReader(
            Self.request("date=2026-02-30&mode=dd&note=a%1Bb&page=0&from=2026-11-02&to=2026-11-01"), style: style)
        #expect(Self.parameter { _ = try reader.day("date") } == "date")
        #expect(Self.parameter { _ = try reader.choice("mode", as: ScanMode.self) } == "mode")
        #expect(Self.parameter { _ = try reader.string("note") } == "note")
        #expect(Self.parameter { _ = try reader.pageNumber() } == "page")
        #expect(Self.parameter { _ = try reader.range(defaultFrom: nil, defaultTo: nil) } == "from")
    }
}
