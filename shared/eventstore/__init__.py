from shared.eventstore.store import (
    ANY,
    NO_STREAM,
    AlreadyAppended,
    EventStore,
    ExpectedVersion,
    Position,
)

__all__ = ["ANY", "NO_STREAM", "AlreadyAppended", "EventStore", "ExpectedVersion", "Position"]
