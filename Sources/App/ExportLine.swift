import Foundation

/// One line of an export, as the export writes it: `{"type":"<type>","data":<JSON object>}`.
/// The data is handed to PostgreSQL as the very text that was exported (no re-encoding, so no
/// number or string changes on the way); it is checked to be one JSON object first.
enum ExportLine {
    static let prefix = Array(#"{"type":""#.utf8)
    static let middle = Array(#"","data":"#.utf8)

    static func parse(_ line: [UInt8], number: Int) throws(ImportError) -> (type: String, data: String) {
        guard line.count > prefix.count + middle.count + 3, line.starts(with: prefix),
            line.last == UInt8(ascii: "}"),
            let quote = line[prefix.count...].firstIndex(of: UInt8(ascii: "\"")),
            line[quote...].starts(with: middle)
        else { throw ImportError("line \(number) is not a line of an incidentd export") }
        let type = String(decoding: line[prefix.count..<quote], as: UTF8.self)
        let data = Array(line[(quote + middle.count)..<(line.count - 1)])
        guard (try? JSONSerialization.jsonObject(with: Data(data))) is [String: Any] else {
            throw ImportError("line \(number) (\(type)): the data is not a JSON object (corrupted?)")
        }
        return (type, String(decoding: data, as: UTF8.self))
    }

    static func checkEnd(_ data: String, rows: Int, number: Int) throws(ImportError) {
        guard let end = try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any],
            let count = end["rows"] as? Int
        else { throw ImportError("line \(number): the end line has no row count") }
        guard count == rows else {
            throw ImportError(
                "the end line counts \(count) rows, the file holds \(rows): lines are missing or extra")
        }
    }
}
