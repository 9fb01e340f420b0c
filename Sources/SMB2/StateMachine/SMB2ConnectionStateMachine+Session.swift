import NIOCore

/// NEGOTIATE and SESSION_SETUP handling ([MS-SMB2] 3.2.4.2, 3.2.5.2, 3.2.5.3).
extension SMB2ConnectionStateMachine {
    /// [MS-SMB2] 3.2.4.2.2.2: NEGOTIATE with every configured dialect, and for 3.1.1 the preauth
    /// integrity, encryption and signing contexts.
    mutating func makeNegotiateRequest() -> SMB2Request {
        let dialects = configuration.dialects
        var contexts: [SMB2NegotiateContext] = []
        if dialects.contains(.smb311) {
            contexts = [
                .preauthIntegrity(hashAlgorithms: [SMB2NegotiateContext.sha512], salt: configuration.randomBytes(32)),
                .encryption(ciphers: configuration.ciphers.map(\.wireID)),
                .signing(algorithms: configuration.signingAlgorithms.map(\.wireID)),
            ]
        }
        let capabilities: SMB2Capabilities = dialects.contains { $0.isSMB3 } ? [.largeMTU, .encryption] : []
        let negotiate = SMB2NegotiateRequest(
            dialects: dialects, securityMode: .signingEnabled, capabilities: capabilities,
            clientGUID: configuration.randomBytes(16), contexts: contexts)
        return SMB2Request(command: .negotiate, encodeBody: negotiate.encode(into:))
    }

    /// [MS-SMB2] 3.2.5.2 Receiving an SMB2 NEGOTIATE Response.
    mutating func receivedNegotiate(_ response: SMB2Response) throws -> [Action] {
        guard phase == .negotiating else { throw SMB2Error.protocolError("unexpected NEGOTIATE response") }
        guard response.header.status == .success else {
            if response.header.status == .notSupported || response.header.status == .invalidParameter {
                throw SMB2Error.protocolError(
                    "server refused every offered dialect (\(configuration.dialects.map(\.description).joined(separator: ", ")))",
                    status: response.header.status)
            }
            throw SMB2Error.from(status: response.header.status, context: "NEGOTIATE")
        }
        let negotiate = try SMB2NegotiateResponse.decode(from: response.message)
        guard configuration.dialects.contains(negotiate.dialect) else {
            throw SMB2Error.protocolError("server chose dialect \(negotiate.dialect), which was not offered")
        }
        dialect = negotiate.dialect
        serverCapabilities = negotiate.capabilities
        serverRequiresSigning = negotiate.securityMode.contains(.signingRequired)
        // A server may announce an absurd size; we never ask for more than 8 MiB in one answer.
        maxTransactSize = max(65_536, min(negotiate.maxTransactSize, 8 * 1_048_576))

        switch negotiate.dialect {
        case .smb202, .smb210:
            signingAlgorithm = .hmacSHA256
        case .smb300, .smb302:
            signingAlgorithm = .aesCMAC
            if negotiate.capabilities.contains(.encryption) && configuration.ciphers.contains(.aes128CCM) {
                cipher = .aes128CCM
            }
        default:
            try applyNegotiateContexts(negotiate.contexts)
            preauthHash = Self.chain(preauthHash, response.message)
        }
        _ = try SPNEGO.parseInitMechTypes(negotiate.securityBuffer)
        signingActive = configuration.alwaysSign || serverRequiresSigning || negotiate.dialect.isSMB3

        phase = .sessionSetup
        let random = configuration.randomBytes(24)
        let ntlm = NTLMAuthenticator(
            credentials: configuration.credentials, workstation: configuration.workstation,
            clientChallenge: Array(random[0..<8]), randomSessionKey: Array(random[8..<24]),
            currentTime: configuration.currentTime())
        authenticator = ntlm
        return try sendSessionSetup(SPNEGO.negTokenInit(mechToken: ntlm.negotiateMessage))
    }

    /// [MS-SMB2] 3.2.5.2: the SMB 3.1.1 contexts fix the preauth hash, cipher and signing.
    private mutating func applyNegotiateContexts(_ contexts: [SMB2NegotiateContext]) throws {
        var sawPreauth = false
        signingAlgorithm = .aesCMAC
        for context in contexts {
            switch context {
            case .preauthIntegrity(let algorithms, _):
                guard !sawPreauth, algorithms == [SMB2NegotiateContext.sha512] else {
                    throw SMB2Error.protocolError("server chose an unknown preauth integrity hash")
                }
                sawPreauth = true
            case .encryption(let ciphers):
                guard ciphers.count == 1 else {
                    throw SMB2Error.protocolError("server chose \(ciphers.count) ciphers")
                }
                if ciphers[0] != 0 {
                    guard let chosen = SMB2EncryptionCipher(wireID: ciphers[0]), configuration.ciphers.contains(chosen)
                    else {
                        throw SMB2Error.protocolError("server chose cipher \(ciphers[0]), which was not offered")
                    }
                    cipher = chosen
                }
            case .signing(let algorithms):
                guard algorithms.count == 1, let chosen = SMB2SigningAlgorithm(wireID: algorithms[0]),
                    configuration.signingAlgorithms.contains(chosen)
                else {
                    throw SMB2Error.protocolError("server chose a signing algorithm that was not offered")
                }
                signingAlgorithm = chosen
            case .other:
                continue
            }
        }
        guard sawPreauth else {
            throw SMB2Error.protocolError("SMB 3.1.1 NEGOTIATE response without preauth integrity context")
        }
    }

    private mutating func sendSessionSetup(_ token: [UInt8]) throws -> [Action] {
        let mode: SMB2SecurityMode = configuration.alwaysSign ? [.signingEnabled, .signingRequired] : .signingEnabled
        let request = SMB2SessionSetupRequest(securityMode: mode, securityBuffer: token)
        let frame = try encodeAndRecord(
            [SMB2Request(command: .sessionSetup, encodeBody: request.encode(into:))], related: false, token: nil)
        if dialect == .smb311 { preauthHash = Self.chain(preauthHash, frame) }
        return [.send(frame, token: nil)]
    }

    /// [MS-SMB2] 3.2.5.3 Receiving an SMB2 SESSION_SETUP Response.
    mutating func receivedSessionSetup(_ response: SMB2Response, encrypted: Bool) throws -> [Action] {
        guard phase == .sessionSetup, let authenticator else {
            throw SMB2Error.protocolError("unexpected SESSION_SETUP response")
        }
        let status = response.header.status
        switch status {
        case .moreProcessingRequired:
            guard response.header.sessionID != 0, sessionID == 0 || sessionID == response.header.sessionID,
                exportedSessionKey == nil
            else {
                throw SMB2Error.protocolError("SESSION_SETUP round with an unusable SessionId")
            }
            sessionID = response.header.sessionID
            if dialect == .smb311 { preauthHash = Self.chain(preauthHash, response.message) }
            let setup = try SMB2SessionSetupResponse.decode(from: response.message)
            let negTokenResp = try SPNEGO.parseNegTokenResp(setup.securityBuffer)
            guard negTokenResp.negState != .reject, let challenge = negTokenResp.responseToken else {
                throw SMB2Error(category: .auth, status: status, message: "server rejected NTLM authentication")
            }
            let result = try authenticator.authenticate(challengeBytes: challenge)
            exportedSessionKey = result.exportedSessionKey
            return try sendSessionSetup(
                SPNEGO.negTokenResp(responseToken: result.authenticateMessage, mechListMIC: result.mechListMIC))
        case .success:
            guard let exportedSessionKey, response.header.sessionID == sessionID else {
                throw SMB2Error.protocolError("SESSION_SETUP succeeded without authentication")
            }
            // The 3.1.1 preauth hash now covers every exchange up to our last SESSION_SETUP request.
            let keys = SMB2SessionKeys(
                sessionKey: exportedSessionKey, dialect: dialect ?? .smb202, preauthHash: preauthHash,
                deferCipherKeys: true)
            self.keys = keys
            signer = SMB2Signer(algorithm: signingAlgorithm.cryptoAlgorithm, key: keys.signing)
            let setup = try SMB2SessionSetupResponse.decode(from: response.message)
            if setup.sessionFlags.contains(.isGuest) || setup.sessionFlags.contains(.isNull) {
                throw SMB2Error(
                    category: .auth, status: status,
                    message: "server accepted the logon only as guest or anonymous (wrong user?)")
            }
            if !setup.securityBuffer.isEmpty {
                let negTokenResp = try SPNEGO.parseNegTokenResp(setup.securityBuffer)
                if negTokenResp.negState == .reject {
                    throw SMB2Error(category: .auth, status: status, message: "server rejected authentication")
                }
            }
            // [MS-SMB2] 3.2.5.3.1: signed with the new key; for 3.1.1 the signature is mandatory.
            if !encrypted {
                try verifySignatureIfNeeded(
                    response.message, header: response.header, required: signingActive && dialect == .smb311)
            }
            sessionEncrypted = setup.sessionFlags.contains(.encryptData)
            if sessionEncrypted && cipher == nil {
                throw SMB2Error.protocolError("server requires encryption but no cipher was negotiated")
            }
            phase = .authenticated
            self.authenticator = nil
            guard let parameters = negotiatedParameters else {
                throw SMB2Error.protocolError("session established without a dialect")
            }
            return [.established(parameters)]
        default:
            var error = SMB2Error.from(status: status, context: "SESSION_SETUP (logon)")
            // A logon refused as ACCESS_DENIED (logon rights, a rejected MIC) is about the
            // credentials, not about a share or folder.
            if error.category == .accessDenied { error.category = .auth }
            throw error
        }
    }
}
