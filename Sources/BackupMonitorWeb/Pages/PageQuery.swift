import BackupMonitor
import Hummingbird

/// Query parameters of the pages. HTML forms send every field, empty ones too (`status=` for
/// "Any"), so an empty value means "not given" here; anything else is checked as strictly as
/// the API does, and a bad value is a 400 page naming the parameter.
struct PageQuery: Sendable {
    private let parameters: [String: String]

    init(_ request: Request) {
        var parameters: [String: String] = [:]
        for (name, value) in request.uri.queryParameters where !value.isEmpty {
            // The first value wins; a form never repeats these names.
            if parameters[String(name)] == nil { parameters[String(name)] = String(value) }
        }
        self.parameters = parameters
    }

    func string(_ name: String, maxLength: Int = 200) throws -> String? {
        guard let raw = parameters[name] else { return nil }
        let value = raw.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { return nil }
        if let problem = TextRule.problem(value, field: name, maxLength: maxLength) {
            throw UseCaseError.invalid(problem)
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

    func choice<T: RawRepresentable & CaseIterable>(_ name: String, as type: T.Type) throws -> T?
    where T.RawValue == String {
        guard let text = try string(name, maxLength: 40) else { return nil }
        guard let value = T(rawValue: text) else {
            let names = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw APIError.badRequest("\(name) must be one of \(names), got \"\(text)\"", parameter: name)
        }
        return value
    }

    func outletCode(_ name: String) throws -> String? {
        guard let code = try string(name, maxLength: 64) else { return nil }
        try PathReader.checkOutletCode(code, parameter: name)
        return code
    }

    func page() throws -> Int {
        guard let text = try string("page", maxLength: 9) else { return 1 }
        guard let page = Int(text), page >= 1 else {
            throw APIError.badRequest("page must be a whole number from 1, got \"\(text)\"", parameter: "page")
        }
        return page
    }

    /// `from`/`to` in order, each defaulting as given.
    func range(defaultFrom: CalendarDay?, defaultTo: CalendarDay?) throws -> (CalendarDay?, CalendarDay?) {
        let from = try day("from") ?? defaultFrom
        let to = try day("to") ?? defaultTo
        if let from, let to, from > to {
            throw APIError.badRequest("from \(from) is after to \(to)", parameter: "from")
        }
        return (from, to)
    }
}
