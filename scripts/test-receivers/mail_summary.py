#!/usr/bin/env python3
"""Prints a stored mail's headers and text as Python's email package decodes them (JSON), an
oracle independent of the client that wrote it: RFC 2047 subjects, quoted-printable bodies."""
import email
import email.policy
import json
import sys

with open(sys.argv[1], "rb") as f:
    message = email.message_from_binary_file(f, policy=email.policy.default)
print(json.dumps({
    "subject": str(message["Subject"]),
    "from": str(message["From"]),
    "to": [a.addr_spec for a in message["To"].addresses],
    "message_id": str(message["Message-ID"]),
    "in_reply_to": str(message["In-Reply-To"] or ""),
    "references": str(message["References"] or "").split(),
    "date": str(message["Date"]),
    "x_mailfrom": str(message["X-MailFrom"] or ""),
    "x_rcptto": str(message["X-RcptTo"] or ""),
    "content_type": message.get_content_type(),
    "charset": message.get_content_charset(),
    "defects": [type(d).__name__ for d in message.defects],
    "body": message.get_content(),
}))
