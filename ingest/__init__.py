"""Getting documents in: object storage, intake (hash, store first, dedupe, register) and the sources."""
