/// The named schemas of the OpenAPI document.
enum APISchemas {
    /// The keys every response of the original API's table carries (SPEC §7).
    static let envelope = [
        "status", "data", "count", "advancedDate", "advancedDateCount", "processingTime", "timestamp",
    ]

    static let credentialsDescription =
        "Per-mode override (ddrive, ibstorage): the username and whether a password is set; the password is never "
        + "returned."
    static let usernameDescription =
        "D-Drive SMB user of this outlet (DOMAIN\\user, user@domain or user), with password; left out: unchanged; "
        + "both empty: removed. IBSTORAGE uses it too unless it has its own."

    static let all: [String: JSONValue] = [
        "Success": Schema.object(["status": Schema.enumeration(["success"])], required: ["status"]),
        "Error": Schema.object(
            [
                "status": Schema.enumeration(["error"]), "error": Schema.string,
                "parameter": ["type": "string", "description": "The query parameter, body field or header at fault."],
            ], required: ["status", "error"]),
        "LegacyRecord": Schema.object(
            [
                "OutletServer": Schema.string, "ScanDate": Schema.date,
                "Status": Schema.enumeration(["Successful", "Failed"]),
                "LastBackupTaken": Schema.nullable(Schema.dateTime), "BackupFile": Schema.nullable(Schema.string),
                "BackupFileSize": Schema.nullable(["type": "string", "example": "2.45 GB"]),
                "BackupFileBytes": Schema.nullable(["type": "integer"]), "Duration": ["type": "number"],
                "ErrorDetails": Schema.nullable(Schema.string), "DriveLetter": Schema.nullable(Schema.string),
                "errorKind": Schema.nullable(Schema.string), "advancedDate": Schema.boolean,
            ],
            required: ["OutletServer", "ScanDate", "Status"]),
        "ScanSummary": Schema.object(
            [
                "status": Schema.enumeration(["success"]), "scanId": Schema.string,
                "mode": Schema.enumeration(["ddrive", "ibstorage"]), "scanDate": Schema.date,
                "data": Schema.array(Schema.ref("LegacyRecord")),
                "advancedDate": Schema.array(Schema.ref("LegacyRecord")),
                "count": ["type": "integer"], "advancedDateCount": ["type": "integer"],
                "successCount": ["type": "integer"], "failedCount": ["type": "integer"],
                "processingTime": ["type": "number", "description": "Seconds."], "timestamp": Schema.dateTime,
            ],
            required: Self.envelope),
        "RecordsPage": Schema.object(
            [
                "status": Schema.enumeration(["success"]), "data": Schema.array(Schema.ref("LegacyRecord")),
                "count": ["type": "integer"], "total": ["type": "integer"], "limit": ["type": "integer"],
                "offset": ["type": "integer"], "page": ["type": "integer"],
                "advancedDate": Schema.array(Schema.ref("LegacyRecord")), "advancedDateCount": ["type": "integer"],
                "processingTime": ["type": "number", "description": "Seconds."], "timestamp": Schema.dateTime,
            ], required: Self.envelope + ["total"]),
        "DailySummary": Schema.object(
            [
                "status": Schema.enumeration(["success"]),
                "data": Schema.array(
                    Schema.object([
                        "date": Schema.date, "total": ["type": "integer"], "successful": ["type": "integer"],
                        "failed": ["type": "integer"], "successRate": ["type": "number"],
                    ])),
                "count": ["type": "integer"], "advancedDate": ["type": "array", "maxItems": 0],
                "advancedDateCount": ["type": "integer"],
                "processingTime": ["type": "number", "description": "Seconds."], "timestamp": Schema.dateTime,
            ], required: Self.envelope),
        "OutletCodes": Schema.object(
            [
                "status": Schema.enumeration(["success"]), "data": Schema.array(Schema.string),
                "count": ["type": "integer"], "outlets": Schema.array(Schema.ref("Outlet")),
                "advancedDate": ["type": "array", "maxItems": 0], "advancedDateCount": ["type": "integer"],
                "processingTime": ["type": "number", "description": "Seconds."], "timestamp": Schema.dateTime,
            ], required: Self.envelope + ["outlets"]),
        "Outlet": Schema.object(
            [
                "code": Schema.outletCode, "host": Schema.string, "port": Schema.integer(1, 65535),
                "name": Schema.string,
                "region": Schema.string, "enabled": Schema.boolean, "share": Schema.nullable(Schema.string),
                "folder": Schema.nullable(Schema.string), "lastIBStorageDrive": Schema.nullable(Schema.string),
                "credentials": [
                    "type": "object",
                    "description": .string(Self.credentialsDescription),
                    "additionalProperties": Schema.object(
                        [
                            "username": Schema.nullable(Schema.string),
                            "password": Schema.enumeration(["set", "not set"]),
                        ], required: ["password"]),
                ],
            ], required: ["code", "host", "port", "name", "region", "enabled"]),
        "OutletInput": Schema.object(
            [
                "code": Schema.outletCode, "host": ["type": "string", "minLength": 1, "maxLength": 253],
                "port": Schema.integer(1, 65535), "name": ["type": "string", "maxLength": 200],
                "region": ["type": "string", "maxLength": 100], "enabled": Schema.boolean,
                "share": Schema.nullable(["type": "string", "maxLength": 80]),
                "folder": Schema.nullable(["type": "string", "maxLength": 260]),
                "username": [
                    "type": "string", "maxLength": 256,
                    "description": .string(Self.usernameDescription),
                ],
                "password": ["type": "string", "maxLength": 1024, "writeOnly": true],
                "ibstorageUsername": ["type": "string", "maxLength": 256],
                "ibstoragePassword": ["type": "string", "maxLength": 1024, "writeOnly": true],
            ], required: ["code"]),
        "Scan": Schema.object(
            [
                "id": Schema.string, "mode": Schema.enumeration(["ddrive", "ibstorage"]), "scanDate": Schema.date,
                "kind": Schema.enumeration(["full", "resync", "scheduled"]), "triggeredBy": Schema.string,
                "state": Schema.enumeration(["running", "finished", "interrupted"]), "total": ["type": "integer"],
                "succeeded": ["type": "integer"], "failed": ["type": "integer"], "advanced": ["type": "integer"],
                "startedAt": Schema.dateTime, "finishedAt": Schema.nullable(Schema.dateTime),
            ], required: ["id", "mode", "scanDate", "state"]),
        "User": Schema.object(
            [
                "username": Schema.username, "role": Schema.enumeration(UserRoleNames.all),
                "createdAt": Schema.dateTime, "updatedAt": Schema.dateTime,
            ], required: ["username", "role"]),
        "Token": Schema.object(
            [
                "id": Schema.uuid, "name": Schema.string, "role": Schema.enumeration(UserRoleNames.all),
                "username": Schema.string, "createdAt": Schema.dateTime, "expiresAt": Schema.nullable(Schema.dateTime),
                "lastUsedAt": Schema.nullable(Schema.dateTime),
                "token": ["type": "string", "description": "Only in the answer to POST: shown once, never again."],
            ], required: ["id", "name", "role"]),
    ]
}

enum UserRoleNames {
    static let all = ["viewer", "operator", "admin"]
}
