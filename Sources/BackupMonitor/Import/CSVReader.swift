/// A small RFC 4180 reader that keeps each row's line number, so errors can name the line.
///
/// Quoted fields may hold commas, doubled quotes and line breaks; a row's line number is the
/// line where it starts.
struct CSVReader {
    struct Row {
        var line: Int
        var fields: [String]
    }

    struct SyntaxError: Error, CustomStringConvertible {
        var line: Int
        var problem: String
        var description: String { "line \(line): \(problem)" }
    }

    static func rows(_ text: String) throws -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var rowStart = 1
        var fieldWasQuoted = false
        var characters = text.makeIterator()
        var pending: Character? = nil

        func endRow() {
            fields.append(field)
            // A blank line is no row at all.
            if !(fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted) {
                rows.append(Row(line: rowStart, fields: fields))
            }
            fields = []
            field = ""
            fieldWasQuoted = false
        }

        while let character = pending ?? characters.next() {
            pending = nil
            if inQuotes {
                if character == "\"" {
                    let next = characters.next()
                    if next == "\"" {
                        field.append("\"")
                    } else {
                        inQuotes = false
                        pending = next
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"":
                guard field.isEmpty else {
                    throw SyntaxError(line: line, problem: "a quote inside an unquoted field")
                }
                inQuotes = true
                fieldWasQuoted = true
            case ",":
                fields.append(field)
                field = ""
                fieldWasQuoted = false
            case "\n", "\r\n", "\r":
                endRow()
                line += 1
                rowStart = line
            default:
                if fieldWasQuoted {
                    throw SyntaxError(line: line, problem: "text after a closing quote")
                }
                field.append(character)
            }
        }
        if inQuotes { throw SyntaxError(line: rowStart, problem: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRow() }
        return rows
    }
}
