"""An IMAP4rev1 server on loopback for the bounce tests: one mailbox, one account, and the
commands a client needs to read new mail and mark or delete it (CAPABILITY, LOGIN, SELECT,
UID SEARCH UNSEEN, UID FETCH, UID STORE, EXPUNGE, LOGOUT), spoken over a real socket."""

from __future__ import annotations

import re
import socketserver
import threading

from tests.mail.smtp_server import free_port

COMMAND = re.compile(rb"^(?P<tag>\S+) (?P<name>[A-Za-z]+)(?: (?P<args>.*))?$")


class ImapServer:
    def __init__(self, username: str, password: str) -> None:
        self.port = free_port()
        self.username, self.password = username, password
        self.messages: dict[int, bytes] = {}  # uid -> message
        self.flags: dict[int, set[str]] = {}
        self.logins: list[str] = []
        server = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                self.wfile.write(b"* OK IMAP4rev1 test server ready\r\n")
                while line := self.rfile.readline():
                    match = COMMAND.match(line.rstrip(b"\r\n"))
                    if match is None:
                        self.wfile.write(b"* BAD what?\r\n")
                        continue
                    tag, name = match["tag"], match["name"].decode().upper()
                    args = (match["args"] or b"").decode()
                    if not server.answer(self.wfile, tag, name, args):
                        return

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True

    def add(self, raw: bytes) -> int:
        uid = max(self.messages, default=0) + 1
        self.messages[uid] = raw
        self.flags[uid] = set()
        return uid

    def answer(self, out, tag: bytes, name: str, args: str) -> bool:
        done = tag + b" OK " + name.encode() + b" completed\r\n"
        if name == "CAPABILITY":
            out.write(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + done)
        elif name == "LOGIN":
            user, password = [part.strip('"') for part in args.split(" ", 1)]
            if (user, password) != (self.username, self.password):
                out.write(tag + b" NO [AUTHENTICATIONFAILED] wrong credentials\r\n")
                return True
            self.logins.append(user)
            out.write(done)
        elif name == "SELECT":
            out.write(f"* {len(self.messages)} EXISTS\r\n".encode()
                      + tag + b" OK [READ-WRITE] SELECT completed\r\n")
        elif name == "UID":
            self._uid(out, tag, args, done)
        elif name == "EXPUNGE":
            for uid in [u for u, f in self.flags.items() if "\\Deleted" in f]:
                out.write(f"* {list(self.messages).index(uid) + 1} EXPUNGE\r\n".encode())
                del self.messages[uid], self.flags[uid]
            out.write(done)
        elif name == "LOGOUT":
            out.write(b"* BYE logging out\r\n" + done)
            return False
        else:
            out.write(tag + b" BAD unknown command\r\n")
        return True

    def _uid(self, out, tag: bytes, args: str, done: bytes) -> None:
        command, _space, rest = args.partition(" ")
        command = command.upper()
        if command == "SEARCH":
            unseen = [str(u) for u, f in self.flags.items() if "\\Seen" not in f]
            out.write(("* SEARCH " + " ".join(unseen)).rstrip().encode() + b"\r\n" + done)
        elif command == "FETCH":
            uid = int(rest.split(" ", 1)[0])
            raw = self.messages[uid]
            number = list(self.messages).index(uid) + 1
            out.write(f"* {number} FETCH (UID {uid} BODY[] {{{len(raw)}}}\r\n".encode() + raw
                      + b")\r\n" + done)
        elif command == "STORE":
            uid_text, _op, flags = rest.split(" ", 2)
            uid = int(uid_text)
            self.flags[uid] |= set(flags.strip("()").split())
            number = list(self.messages).index(uid) + 1
            out.write(f"* {number} FETCH (UID {uid} FLAGS ({' '.join(sorted(self.flags[uid]))}))"
                      f"\r\n".encode() + done)
        else:
            out.write(tag + b" BAD unknown UID command\r\n")

    def start(self) -> ImapServer:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
