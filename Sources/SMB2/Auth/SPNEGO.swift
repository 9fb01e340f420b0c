/// SPNEGO ([RFC 4178], [MS-SPNG]) wrapping of NTLMSSP tokens for SESSION_SETUP.
enum SPNEGO {
    /// 1.3.6.1.5.5.2, the SPNEGO mechanism.
    static let spnegoOID: [UInt8] = [0x2B, 0x06, 0x01, 0x05, 0x05, 0x02]
    /// 1.3.6.1.4.1.311.2.2.10, NTLMSSP.
    static let ntlmsspOID: [UInt8] = [0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0A]

    /// The DER MechTypeList we offer (SEQUENCE OF OID); the mechListMIC is computed over it
    /// ([RFC 4178] 5).
    static let mechTypeList: [UInt8] = DER.element(tag: 0x30, DER.element(tag: 0x06, ntlmsspOID))

    /// [RFC 4178] 4.2.1 negTokenInit inside the GSS-API InitialContextToken ([RFC 2743] 3.1).
    static func negTokenInit(mechToken: [UInt8]) -> [UInt8] {
        let body = DER.element(
            tag: 0x30,
            DER.element(tag: 0xA0, mechTypeList) + DER.element(tag: 0xA2, DER.element(tag: 0x04, mechToken)))
        return DER.element(tag: 0x60, DER.element(tag: 0x06, spnegoOID) + DER.element(tag: 0xA0, body))
    }

    /// [RFC 4178] 4.2.2 negTokenResp carrying our response token and mechListMIC.
    static func negTokenResp(responseToken: [UInt8], mechListMIC: [UInt8]?) -> [UInt8] {
        var fields = DER.element(tag: 0xA2, DER.element(tag: 0x04, responseToken))
        if let mechListMIC {
            fields += DER.element(tag: 0xA3, DER.element(tag: 0x04, mechListMIC))
        }
        return DER.element(tag: 0xA1, DER.element(tag: 0x30, fields))
    }

    /// [RFC 4178] 4.2.2 negState.
    enum NegState: UInt8, Sendable {
        case acceptCompleted = 0
        case acceptIncomplete = 1
        case reject = 2
        case requestMIC = 3
    }

    /// The fields of a server negTokenResp that we use.
    struct NegTokenResp: Equatable, Sendable {
        var negState: NegState?
        var supportedMech: [UInt8]?
        var responseToken: [UInt8]?
        var mechListMIC: [UInt8]?
    }

    static func parseNegTokenResp(_ token: [UInt8]) throws -> NegTokenResp {
        var outer = DER.Reader(token[...])
        let wrapper = try outer.next(expecting: 0xA1)
        var sequenceReader = DER.Reader(wrapper.content)
        let sequence = try sequenceReader.next(expecting: 0x30)
        var fields = DER.Reader(sequence.content)
        var result = NegTokenResp()
        while !fields.isAtEnd {
            let field = try fields.next()
            var inner = DER.Reader(field.content)
            switch field.tag {
            case 0xA0:
                let value = try inner.next(expecting: 0x0A)
                guard value.content.count == 1, let state = NegState(rawValue: value.content.first ?? 0xFF)
                else { throw DER.malformed }
                result.negState = state
            case 0xA1:
                result.supportedMech = Array(try inner.next(expecting: 0x06).content)
            case 0xA2:
                result.responseToken = Array(try inner.next(expecting: 0x04).content)
            case 0xA3:
                result.mechListMIC = Array(try inner.next(expecting: 0x04).content)
            default:
                continue  // unknown fields are ignored, as extensibility requires
            }
        }
        return result
    }

    /// Lists the mechanism OIDs of the server's negTokenInit2 ([MS-SPNG] 2.2.1) in the NEGOTIATE
    /// response. An empty security buffer is allowed ([MS-SMB2] 3.2.5.2: the client then picks).
    static func parseInitMechTypes(_ token: [UInt8]) throws -> [[UInt8]] {
        guard !token.isEmpty else { return [] }
        var outer = DER.Reader(token[...])
        let application = try outer.next(expecting: 0x60)
        var inner = DER.Reader(application.content)
        guard Array(try inner.next(expecting: 0x06).content) == spnegoOID else { throw DER.malformed }
        let initWrapper = try inner.next(expecting: 0xA0)
        var sequenceReader = DER.Reader(initWrapper.content)
        var fields = DER.Reader(try sequenceReader.next(expecting: 0x30).content)
        while !fields.isAtEnd {
            let field = try fields.next()
            guard field.tag == 0xA0 else { continue }
            var listReader = DER.Reader(field.content)
            var mechs = DER.Reader(try listReader.next(expecting: 0x30).content)
            var result: [[UInt8]] = []
            while !mechs.isAtEnd {
                result.append(Array(try mechs.next(expecting: 0x06).content))
            }
            return result
        }
        return []
    }
}
