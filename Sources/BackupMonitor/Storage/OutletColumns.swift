import Foundation

/// The columns of `outlets`, declared once (SPEC §2): names in the order they are read, an
/// outlet's values in that order (the upsert binds them), and the outlet read back from cells in
/// that order (both drivers). `RecordColumnsTests` checks them against the table.
enum OutletColumns {
    static let names = [
        "code", "host", "port", "name", "region", "enabled", "share_override", "folder_override", "last_ib_drive",
    ]
    /// What a save of a known outlet replaces: everything but its code and the IBSTORAGE drive
    /// the scanner learnt (an import or an edit does not know it).
    static let replacedOnSave = names.filter { $0 != "code" && $0 != "last_ib_drive" }

    static func values(of outlet: Outlet) -> [any Encodable & Sendable] {
        [
            outlet.code, outlet.host, outlet.port, outlet.name, outlet.region, outlet.enabled, outlet.shareOverride,
            outlet.folderOverride, outlet.lastIBStorageDrive,
        ]
    }

    static func outlet<Cells: RowCells>(from cells: inout Cells) throws -> Outlet {
        Outlet(
            code: try cells.text(), host: try cells.text(), port: Int(try cells.integer()), name: try cells.text(),
            region: try cells.text(), enabled: try cells.bool(), shareOverride: try cells.optionalText(),
            folderOverride: try cells.optionalText(), lastIBStorageDrive: try cells.optionalText())
    }
}
