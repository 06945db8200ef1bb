"""The gevent worker, whose refusal of an over-long request names the limit.

gunicorn reads at most 8,190 bytes of request line (a memory bound we keep: a client
must not make a worker read an unbounded line). A search of 1,000 characters in a
script of three-byte letters is about 9,000 bytes once encoded in a URL, so it cannot
arrive as a GET; the search form and the API take it by POST instead. A request over
the limit was answered by gunicorn's bare "414 URI Too Long" page; this worker answers
400 with a sentence naming the limit and saying to use POST (the request is not parsed
yet, so the answer cannot be the API's JSON or the site's templated page).

It also sends a response's headers and body in one write (OneWriteResponse). gunicorn
wrote the headers, then the body: a replica killed between the two left haproxy with
headers it had already forwarded and a body that never came, which no proxy can retry
(tests/test_replicas.py caught one such cut response in six runs). In one write, a
kill leaves either nothing (haproxy retries the request elsewhere) or the whole answer.
"""

from __future__ import annotations

import html
from typing import Any

import gevent
from gunicorn import util
from gunicorn.http import wsgi
from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine
from gunicorn.workers.ggevent import GeventWorker

REQUEST_LINE_LIMIT = 8190


def refusal(exc: BaseException) -> bytes:
    """The 400 answer to a request whose line or headers are over gunicorn's limits."""
    if isinstance(exc, LimitRequestLine):
        message = (
            f"The address is longer than the {REQUEST_LINE_LIMIT:,} bytes this service reads. "
            "A long search can be sent with POST: from the search box (the page does it for "
            "you), or to /api/search with a JSON body of the same parameters."
        )
    else:
        message = "The request's headers are larger than this service reads (8,190 bytes each)."
    body = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<title>Request too long</title><link rel="stylesheet" href="/static/style.css">'
        '</head><body><main class="error-page"><p class="error-page__status">400</p>'
        f"<h1>That request is too long</h1><p>{html.escape(message)}</p>"
        '<p><a href="/">Search the archive</a></p></main></body></html>\n'
    ).encode()
    head = (
        "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n"
        "Content-Type: text/html; charset=utf-8\r\n"
        f"X-Error: {message}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode("latin-1")
    return head + body


class OneWriteResponse(wsgi.Response):
    """gunicorn's response, its head held back and sent with the first body bytes."""

    _head: bytes | None = None
    _defer = True

    def send_headers(self) -> None:
        if self.headers_sent:
            return
        if not self._defer:
            super().send_headers()
            return
        lines = self.default_headers()
        lines.extend(f"{name}: {value}\r\n" for name, value in self.headers)
        self._head = util.to_bytestring("{}\r\n".format("".join(lines)), "latin-1")
        self.headers_sent = True

    def _flush_head(self) -> None:
        if self._head is not None:
            head, self._head = self._head, None
            util.write(self.sock, head)

    def _emit_body(self, data: bytes) -> None:
        if self._head is not None and not self.chunked:
            head, self._head = self._head, None
            util.write(self.sock, head + data)
            return
        self._flush_head()
        util.write(self.sock, data, self.chunked)  # what gunicorn's own _emit_body does

    def sendfile(self, respiter: Any) -> bool:
        # gunicorn sends the file itself after the head: the head must be out first.
        self._defer = False
        self._flush_head()
        return bool(super().sendfile(respiter))

    def close(self) -> None:
        if not self.headers_sent:
            self.send_headers()
        self._flush_head()  # a response with no body (304, HEAD, 204)
        super().close()


class SearchWorker(GeventWorker):
    """gunicorn's gevent worker (see serve.py), but a request over the line or header limit
    is answered with a page that names the limit, and connections take turns."""

    def init_process(self) -> None:
        # wsgi.create builds gunicorn's module-level Response: this worker's is ours.
        wsgi.Response = OneWriteResponse  # type: ignore[misc]
        super().init_process()

    def handle_request(self, listener_name: Any, req: Any, sock: Any, addr: Any) -> bool:
        """One request, then a turn for every other connection.

        A search never waits on I/O, and on a keep-alive connection whose client has
        already sent its next request neither does reading it: without this yield one
        connection kept the worker for a second at a time while the others waited
        (bench/capacity.py measured p95 688 ms at two clients, 16 ms at one).
        """
        try:
            return super().handle_request(listener_name, req, sock, addr)
        finally:
            gevent.sleep(0)

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        if not isinstance(exc, (LimitRequestLine, LimitRequestHeaders)):
            super().handle_error(req, client, addr, exc)
            return
        self.log.warning("refused a request from %s: %s", (addr or ("",))[0], exc)
        try:
            util.write_nonblock(client, refusal(exc))
        except OSError:
            self.log.debug("could not send the refusal of an over-long request")
