import Foundation
import Testing

@testable import SMTPClient

@Suite struct MailRenderingTests {
    func render(_ message: MailMessage) throws -> String {
        String(decoding: try message.rendered(), as: UTF8.self)
    }

    func message(subject: String = "Hello", body: String = "Body\n") -> MailMessage {
        MailMessage(
            from: "alerts@incidentd.test", to: ["a@example.com"], subject: subject, body: body,
            messageID: "m1@incidentd.test", date: Date(timeIntervalSince1970: 0))
    }

    @Test func writesTheHeadersInRFC5322Form() throws {
        let text = try render(message())
        #expect(
            text.hasPrefix(
                "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\nFrom: alerts@incidentd.test\r\nTo: a@example.com\r\n"
            ))
        #expect(text.contains("\r\nSubject: Hello\r\nMessage-ID: <m1@incidentd.test>\r\n"))
        #expect(
            text.contains(
                "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\nBody\r\n"
            ))
    }

    @Test func encodesNonASCIISubjectsAsShortEncodedWordsThatDecodeBack() throws {
        let subject = "[SEV1] INC-42 " + String(repeating: "Überlast — ", count: 8)
        let encoded = MIMEEncoding.headerWords(subject)
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        var decoded: [UInt8] = []
        for word in words {
            #expect(word.count <= 75 && word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            decoded += Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))!
        }
        #expect(String(decoding: decoded, as: UTF8.self) == subject)
    }

    @Test func turnsLineBreaksInTheSubjectIntoSpacesSoNoHeaderCanBeInjected() throws {
        let text = try render(message(subject: "title\r\nBcc: victim@example.com"))
        #expect(text.contains("Subject: title  Bcc: victim@example.com\r\n"))
        #expect(!text.contains("\r\nBcc:"))
    }

    @Test func sendsNonASCIIOrLongLinesAsQuotedPrintableOfAtMost76Characters() throws {
        let body = "Café\n" + String(repeating: "x", count: 200) + " \n=end"
        let text = try render(message(body: body))
        #expect(text.contains("Content-Transfer-Encoding: quoted-printable\r\n"))
        let encoded = text.components(separatedBy: "\r\n\r\n")[1]
        for line in encoded.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 76) }
        #expect(encoded.hasPrefix("Caf=C3=A9\r\n"))
        #expect(encoded.contains("=20\r\n=3Dend\r\n"))
        #expect(
            !encoded.contains("\n\n") && !encoded.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test func refusesAddressesAndIdsThatCouldBreakTheMessage() {
        var bad = message()
        bad.to = ["a@example.com\r\nBcc: x@y"]
        #expect(throws: SMTPError.self) { try bad.rendered() }
        bad = message()
        bad.messageID = "no-at-sign"
        #expect(throws: SMTPError.self) { try bad.rendered() }
        bad = message()
        bad.to = []
        #expect(throws: SMTPError.self) { try bad.rendered() }
        bad = message()
        bad.extraHeaders = [("Subject", "twice")]
        #expect(throws: SMTPError.self) { try bad.rendered() }
    }

    @Test func dotStuffsEveryLineThatStartsWithADot() {
        let stuffed = SMTPClient.dotStuffed(Array(".a\r\nb\r\n..c\r\n.\r\n".utf8))
        #expect(String(decoding: stuffed, as: UTF8.self) == "..a\r\nb\r\n...c\r\n..\r\n")
        #expect(
            String(decoding: SMTPClient.dotStuffed(Array("no newline".utf8)), as: UTF8.self)
                == "no newline\r\n")
    }
}
