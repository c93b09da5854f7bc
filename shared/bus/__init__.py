"""Everything that touches nats-py lives here; the rest of the code sees typed helpers."""
