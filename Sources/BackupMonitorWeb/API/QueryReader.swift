import BackupMonitor
import Foundation
import Hummingbird

/// Reads query parameters, for the API and the pages alike: one set of typed readers (days,
/// choices, numbers, outlet codes, paging, ranges), each value checked by `TextRule`, a bad value
/// a 400 naming the parameter; nothing is guessed. Parameters it is not asked about are ignored,
/// so old clients that add cache-busters keep working.
///
/// The two styles differ only in what counts as given. The API (SPEC §7) is strict: a repeated
/// or empty value is an error. Pages read what HTML forms send, every field and empty ones too
/// (`status=` for "Any"), and people type into them: an empty value means "not given", the
/// first value wins, and surrounding spaces are trimmed.
struct QueryReader {
    enum Style {
        case api
        case page
    }

    private let request: Request
    private let style: Style

    init(_ request: Request, style: Style = .api) {
        self.request = request
        self.style = style
    }

    /// The reader of a page's query string.
    static func page(_ request: Request) -> QueryReader { QueryReader(request, style: .page) }

    func string(_ name: String, maxLength: Int = 200) throws -> String? {
        let values = request.uri.queryParameters[values: Substring(name)]
        let value: String
        switch style {
        case .api:
            guard let first = values.first else { return nil }
            guard values.count == 1 else {
                throw APIError.badRequest("\(name) is given \(values.count) times", parameter: name)
            }
            guard !first.isEmpty else { throw APIError.badRequest("\(name) is empty", parameter: name) }
            value = String(first)
        case .page:
            guard let first = values.first(where: { !$0.isEmpty })?.trimmingCharacters(in: .whitespaces),
                !first.isEmpty
            else { return nil }
            value = first
        }
        if let problem = TextRule.problem(value, field: name, maxLength: maxLength) {
            throw APIError.badRequest(problem.description, parameter: name)
        }
        return value
    }

    func day(_ name: String) throws -> CalendarDay? {
        guard let text = try string(name, maxLength: 10) else { return nil }
        guard let day = CalendarDay(text) else {
            throw APIError.badRequest("\(name) must be a real date as YYYY-MM-DD, got \"\(text)\"", parameter: name)
        }
        return day
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = try string(name, maxLength: 20) else { return nil }
        guard let number = Int(text), range.contains(number) else {
            throw APIError.badRequest(
                "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), got \"\(text)\"",
                parameter: name)
        }
        return number
    }

    func outletCode(_ name: String) throws -> String? {
        guard let text = try string(name, maxLength: 64) else { return nil }
        try PathReader.checkOutletCode(text, parameter: name)
        return text
    }

    /// `Successful`/`Failed` as the original schema writes them, `Success`, or the lowercase names.
    func status(_ name: String) throws -> BackupStatus? {
        guard let text = try string(name, maxLength: 20) else { return nil }
        switch text.lowercased() {
        case "successful", "success": return .success
        case "failed", "failure": return .failed
        default: throw APIError.badRequest("\(name) must be Successful or Failed, got \"\(text)\"", parameter: name)
        }
    }

    func choice<T: RawRepresentable & CaseIterable>(_ name: String, as type: T.Type) throws -> T?
    where T.RawValue == String {
        guard let text = try string(name, maxLength: 40) else { return nil }
        guard let value = T(rawValue: text) else {
            let names = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw APIError.badRequest("\(name) must be one of \(names), got \"\(text)\"", parameter: name)
        }
        return value
    }

    /// `limit` (default 30, at most 1000) with `offset` or `page` (not both).
    func paging(defaultLimit: Int = 30, maximum: Int = 1000) throws -> (limit: Int, offset: Int) {
        let limit = try integer("limit", in: 1...maximum) ?? defaultLimit
        let offset = try integer("offset", in: 0...10_000_000)
        let page = try integer("page", in: 1...1_000_000)
        if offset != nil, page != nil {
            throw APIError.badRequest("give offset or page, not both", parameter: "page")
        }
        if let page { return (limit, (page - 1) * limit) }
        return (limit, offset ?? 0)
    }

    /// A page's `page` number, from 1.
    func pageNumber() throws -> Int {
        try integer("page", in: 1...1_000_000) ?? 1
    }

    /// A page's `from`/`to` in order, each defaulting as given.
    func range(defaultFrom: CalendarDay?, defaultTo: CalendarDay?) throws -> (CalendarDay?, CalendarDay?) {
        let from = try day("from") ?? defaultFrom
        let to = try day("to") ?? defaultTo
        if let from, let to, from > to {
            throw APIError.badRequest("from \(from) is after to \(to)", parameter: "from")
        }
        return (from, to)
    }

    /// `date_from`/`date_to` (or `scan_date` for one day), checked for order.
    func dateRange() throws -> (from: CalendarDay?, to: CalendarDay?) {
        let from = try day("date_from")
        let to = try day("date_to")
        if let scanDate = try day("scan_date") {
            if from != nil || to != nil {
                throw APIError.badRequest("give scan_date or date_from/date_to, not both", parameter: "scan_date")
            }
            return (scanDate, scanDate)
        }
        if let from, let to, from > to {
            throw APIError.badRequest("date_from \(from) is after date_to \(to)", parameter: "date_from")
        }
        return (from, to)
    }
}

/// Path parameters, checked before they reach a repository.
enum PathReader {
    static func string(_ name: String, _ context: MonitorRequestContext) throws -> String {
        guard let value = context.parameters.get(name), !value.isEmpty else {
            throw APIError.badRequest("\(name) is missing from the path", parameter: name)
        }
        return value
    }

    static func outletCode(_ context: MonitorRequestContext) throws -> String {
        let code = try string("code", context)
        try checkOutletCode(code, parameter: "code")
        return code
    }

    static func uuid(_ name: String, _ context: MonitorRequestContext) throws -> String {
        let text = try string(name, context)
        guard let uuid = UUID(uuidString: text) else {
            throw APIError.badRequest("\(name) must be a UUID, got \"\(text.prefix(64))\"", parameter: name)
        }
        return uuid.uuidString.lowercased()
    }

    static func username(_ context: MonitorRequestContext) throws -> String {
        let name = try string("username", context)
        if let problem = MonitorUser.usernameProblems(name).first { throw UseCaseError.invalid(problem) }
        return name
    }

    static func checkOutletCode(_ code: String, parameter: String) throws {
        if let problem = Outlet(code: code, host: "x").validationProblems.first {
            throw APIError.badRequest(problem.description, parameter: parameter)
        }
    }
}
