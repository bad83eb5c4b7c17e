"""Bounce reports as receiving mail servers write them: an RFC 3464 delivery status
notification (as Postfix sends it) and an RFC 5965 abuse report (as a mailbox provider's
feedback loop sends it)."""

from __future__ import annotations


def delivery_status_notification(*, to: str, recipient: str, status: str = "5.1.1",
                                 action: str = "failed") -> bytes:
    """A bounce addressed to `to` (our VERP envelope sender) about `recipient`."""
    return f"""\
Return-Path: <>
Delivered-To: {to}
From: MAIL-DAEMON@mx.example.net (Mail Delivery System)
To: {to}
Subject: Undelivered Mail Returned to Sender
Date: Tue, 02 Dec 2025 10:00:00 +0000
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
 boundary="B6C1A2D3.1764669600/mx.example.net"

--B6C1A2D3.1764669600/mx.example.net
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<{recipient}>: host mx.example.net said: 550 {status} No such mailbox

--B6C1A2D3.1764669600/mx.example.net
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
X-Postfix-Queue-ID: B6C1A2D3
Arrival-Date: Tue,  2 Dec 2025 09:59:58 +0000 (UTC)

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: {action}
Status: {status}
Remote-MTA: dns; mx.example.net
Diagnostic-Code: smtp; 550 {status} No such mailbox

--B6C1A2D3.1764669600/mx.example.net
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

Return-Path: <{to}>
From: Petitions <no-reply@petitions.example.org>
To: {recipient}
Subject: News

--B6C1A2D3.1764669600/mx.example.net--
""".replace("\n", "\r\n").encode()


def abuse_report(*, return_path: str, recipient: str) -> bytes:
    """A complaint ("this is spam") about our message to `recipient`, which quotes the
    message with the Return-Path its receiving server added."""
    return f"""\
From: Feedback Loop <fbl@mail.example.net>
To: abuse@petitions.example.org
Subject: Abuse report
Date: Tue, 02 Dec 2025 11:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="part"

--part
Content-Type: text/plain; charset=us-ascii

This is an email abuse report for an email message received from IP
192.0.2.25 on Tue, 02 Dec 2025 10:30:00 +0000.

--part
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: ExampleFBL/1.0
Version: 1
Original-Mail-From: <{return_path}>
Original-Rcpt-To: <{recipient}>
Arrival-Date: Tue, 02 Dec 2025 10:30:00 +0000
Source-IP: 192.0.2.25

--part
Content-Type: message/rfc822
Content-Disposition: inline

Return-Path: <{return_path}>
From: Petitions <no-reply@petitions.example.org>
To: {recipient}
Subject: News: Delivered in Geneva
Date: Tue, 02 Dec 2025 10:29:00 +0000
Message-ID: <outbox-1@petitions.example.org>

We handed over all names.

--part--
""".replace("\n", "\r\n").encode()
