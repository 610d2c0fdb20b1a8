"""The connection book and the accept gate's view of the listening queue
(``policykit.interfaces.http.listener``); the gate itself under a real server is tested in
tests/test_protocol.py (a flood, a burst against busy connections)."""

from __future__ import annotations

import socket

import pytest

from policykit.interfaces.http.listener import YOUNG_TURNS, ConnectionBook, waiting_to_accept


class Connection:
    """A waiting connection as the book sees it: it can be closed at once, once."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.closed = False

    def evict(self) -> bool:
        if self.closed:
            return False
        self.closed = True
        return True


def _book_with(fresh: int, idle: int, cap: int = 100) -> tuple[ConnectionBook, list[Connection], list[Connection]]:
    book = ConnectionBook(cap)
    made = [Connection(f"fresh{i}") for i in range(fresh)], [Connection(f"idle{i}") for i in range(idle)]
    for connection in made[1]:
        book.accepted()
        book.made()
        book.waiting(connection, served=True)
    for connection in made[0]:
        book.accepted()
        book.made()
        book.waiting(connection, served=False)
    return book, *made


def test_room_is_made_by_closing_the_longest_waiting_connections_that_never_completed_a_request():
    book, fresh, idle = _book_with(fresh=5, idle=2)
    book.turn += YOUNG_TURNS
    assert book.make_room(3) is True
    assert [c.closed for c in fresh + idle] == [True, True, True, False, False, False, False]
    assert book.closing == 3
    book.closed(evicted=True)
    assert (book.held, book.closing) == (6, 2)


def test_a_young_connection_is_not_closed_before_it_has_had_its_turns_to_send_a_request():
    book, fresh, idle = _book_with(fresh=2, idle=1)
    assert book.make_room(1) is False  # wait a turn: neither the young nor the idle one is closed
    assert not any(c.closed for c in fresh + idle)
    book.turn += YOUNG_TURNS
    assert book.make_room(5) is True
    assert [c.closed for c in fresh + idle] == [True, True, False]


def test_an_idle_keep_alive_connection_is_closed_only_when_no_other_is_waiting_or_about_to():
    book, _, idle = _book_with(fresh=0, idle=2)
    book.accepted()  # accepted, not yet made: it will wait (or close) within a turn or two
    assert book.make_room(1) is False and not any(c.closed for c in idle)
    book.made()
    assert book.make_room(5) is True
    assert [c.closed for c in idle] == [True, False]  # one, the longest waiting, however many were wanted


def test_with_every_connection_busy_the_next_one_made_is_refused_once():
    book, _, _ = _book_with(fresh=0, idle=0)
    assert book.make_room(1) is None
    book.refusals += 1
    book.accepted()
    assert (book.made(), book.refusals) == (False, 0)
    book.accepted()
    assert book.made() is True


def test_a_cap_leaves_a_place_for_refusing():
    with pytest.raises(ValueError, match="at least 2"):
        ConnectionBook(1)


@pytest.mark.skipif(not hasattr(socket, "TCP_INFO"), reason="Linux tells a listening socket's queue length")
def test_the_listening_queue_is_read_from_the_kernel():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        clients = [socket.create_connection(listener.getsockname()) for _ in range(3)]
        try:
            assert waiting_to_accept(listener) == 3
            listener.accept()[0].close()
            assert waiting_to_accept(listener) == 2
        finally:
            for client in clients:
                client.close()
