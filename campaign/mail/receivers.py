"""Where webhooks go: an organisation's receiver address, checked when the webhook is created
and again at every delivery so that it can only ever reach a public https server, and the POST
to the very address that was checked (never a second lookup, never a redirect)."""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import gettext as _

MAX_URL_LENGTH = 2000
# A host whose last label is a number (decimal, octal or hex) is an IPv4 address in some
# spelling: resolvers read "2130706433", "0x7f000001" and "127.1" as 127.0.0.1.
NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$", re.IGNORECASE)
# Ranges that reach IPv4 hosts from IPv6 (NAT64, 6to4, Teredo) or that Python's tables do not
# yet call non-global.
REFUSED_NETWORKS = tuple(ipaddress.ip_network(network) for network in (
    "0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "198.18.0.0/15", "64:ff9b::/96",
    "64:ff9b:1::/48", "2001::/32", "2002::/16", "fc00::/7", "fec0::/10"))
RESPONSE_READ_LIMIT = 64 * 1024


class ReceiverRefused(ValueError):
    """A receiver address that must not be used; the message says why, for the organiser."""


class WebhookRefused(OSError):
    """The receiver answered with an error status; worth retrying later."""


@dataclass(frozen=True)
class Receiver:
    """A checked receiver: where to connect (the addresses that were checked) and what to
    send as Host and TLS server name (the name in the URL)."""

    scheme: str
    host: str
    port: int
    target: str
    addresses: tuple[str, ...]


@dataclass(frozen=True)
class Rules:
    allow_http: bool = False
    allow_private: bool = False
    connect_timeout: float = 3.0
    read_timeout: float = 5.0
    total_timeout: float = 10.0

    @classmethod
    def from_config(cls, config) -> Rules:
        return cls(allow_http=bool(config.get("WEBHOOK_ALLOW_HTTP")),
                   allow_private=bool(config.get("WEBHOOK_ALLOW_PRIVATE")),
                   connect_timeout=float(config.get("WEBHOOK_CONNECT_TIMEOUT", 3.0)),
                   read_timeout=float(config.get("WEBHOOK_READ_TIMEOUT", 5.0)),
                   total_timeout=float(config.get("WEBHOOK_TOTAL_TIMEOUT", 10.0)))


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether an address belongs to the public internet: not loopback, private, link-local
    (such as the cloud metadata service at 169.254.169.254), multicast, reserved, shared, or
    an IPv6 address carrying an IPv4 one."""
    if isinstance(address, ipaddress.IPv6Address) and (
            address.ipv4_mapped or address.sixtofour or address.teredo):
        return False
    return (address.is_global and not address.is_multicast and not address.is_reserved
            and not address.is_loopback and not address.is_link_local
            and not address.is_unspecified
            and not any(address in network for network in REFUSED_NETWORKS
                        if network.version == address.version))


def check_receiver(url: str, rules: Rules, resolve=None) -> Receiver:
    """The receiver at `url` if it may be used, resolved once (with `resolve`, by default
    the system's resolver); else ReceiverRefused."""
    if not isinstance(url, str) or not url or len(url) > MAX_URL_LENGTH:
        raise ReceiverRefused(_("A webhook needs an address of at most %(n)s characters.",
                                n=MAX_URL_LENGTH))
    try:
        parts = urlsplit(url)
        port = parts.port
        host = parts.hostname
    except ValueError:
        raise ReceiverRefused(_("This webhook address is not a valid web address.")) from None
    schemes = ("https", "http") if rules.allow_http else ("https",)
    if parts.scheme not in schemes:
        raise ReceiverRefused(_("A webhook address must start with https://."))
    if parts.username is not None or parts.password is not None:
        raise ReceiverRefused(_("A webhook address must not carry a user name or password; "
                                "use the signing secret to authenticate deliveries."))
    if not host or any(c.isspace() or ord(c) < 32 for c in url):
        raise ReceiverRefused(_("This webhook address is not a valid web address."))
    port = port or (443 if parts.scheme == "https" else 80)
    literal = _literal_address(host)
    if literal is not None:
        addresses = [literal]
    else:
        addresses = _resolve(host, port, resolve)
    if not rules.allow_private:
        for address in addresses:
            if not is_public(address):
                raise ReceiverRefused(_(
                    "This webhook address leads to %(address)s, which is not a public internet "
                    "address. Webhooks can only reach public servers.", address=str(address)))
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return Receiver(parts.scheme, host, port, target, tuple(str(a) for a in addresses))


def _literal_address(host: str):
    """The address when `host` is written as one; refuses spellings resolvers disagree on."""
    if ":" in host or "%" in host:
        try:
            address = ipaddress.IPv6Address(host)
        except ValueError:
            raise ReceiverRefused(_("This webhook address is not a valid web address.")) \
                from None
        if address.scope_id:
            raise ReceiverRefused(_("This webhook address is not a valid web address."))
        return address
    if NUMERIC_LABEL.match(host.rstrip(".").rpartition(".")[2]):
        try:
            return ipaddress.IPv4Address(host)
        except ValueError:
            raise ReceiverRefused(_(
                "Write a numeric webhook address as four decimal numbers (such as "
                "203.0.113.10), or use a name.")) from None
    return None


def _resolve(host: str, port: int, resolve) -> list:
    try:
        found = (resolve or socket.getaddrinfo)(host, port, type=socket.SOCK_STREAM,
                                                proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        raise ReceiverRefused(_("The name %(host)s cannot be found.", host=host[:100])) \
            from None
    addresses = []
    for family, _type, _proto, _name, sockaddr in found:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        address = ipaddress.ip_address(sockaddr[0].partition("%")[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise ReceiverRefused(_("The name %(host)s cannot be found.", host=host[:100]))
    return addresses


def post(receiver: Receiver, body: bytes, headers: dict[str, str], rules: Rules) -> int:
    """POST `body` to the checked receiver and return its status; WebhookRefused unless 2xx.
    The whole exchange is cut off after `rules.total_timeout` seconds, however slowly the
    receiver drips its answer."""
    connection = _connection(receiver, rules)
    cut = threading.Event()
    watchdog = threading.Timer(rules.total_timeout, _cut, args=(connection, cut))
    watchdog.start()
    try:
        connection.connect()
        connection.sock.settimeout(rules.read_timeout)
        connection.request("POST", receiver.target, body=body, headers=headers)
        response = connection.getresponse()
        response.read(RESPONSE_READ_LIMIT)
        status = response.status
    except OSError:
        if cut.is_set():
            raise TimeoutError(_too_slow(rules)) from None
        raise
    finally:
        watchdog.cancel()
        connection.close()
    if cut.is_set():  # what was read before the cut is not an answer
        raise TimeoutError(_too_slow(rules))
    if 300 <= status < 400:
        raise WebhookRefused(f"the receiver answered {status} (a redirect); webhooks do not "
                             f"follow redirects")
    if not 200 <= status < 300:
        raise WebhookRefused(f"the receiver answered {status}")
    return status


def _connection(receiver: Receiver, rules: Rules) -> http.client.HTTPConnection:
    if receiver.scheme == "https":
        connection = http.client.HTTPSConnection(
            receiver.host, receiver.port, timeout=rules.connect_timeout,
            context=ssl.create_default_context())
    else:
        connection = http.client.HTTPConnection(receiver.host, receiver.port,
                                                timeout=rules.connect_timeout)

    def connect_to_checked(_address, timeout, source_address=None):
        # The Host header and the TLS server name stay the URL's name (http.client sends
        # self.host); the socket goes to an address that was checked, never looked up again.
        error: OSError | None = None
        for address in receiver.addresses:
            try:
                return _open_socket(address, receiver.port, timeout)
            except OSError as failure:
                error = failure
        raise error or OSError("no address to connect to")

    connection._create_connection = connect_to_checked
    return connection


def _open_socket(address: str, port: int, timeout: float) -> socket.socket:
    """A TCP connection to a numeric address, made without any lookup."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect((address, port))
    except OSError:
        sock.close()
        raise
    return sock


def _too_slow(rules: Rules) -> str:
    return f"the receiver took more than {rules.total_timeout:g} seconds"


def _cut(connection: http.client.HTTPConnection, cut: threading.Event) -> None:
    cut.set()
    sock = connection.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
