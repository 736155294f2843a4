"""Object storage for originals and derived files: one interface, a MinIO/S3 and a local-folder store.

Originals are content-addressed (``sha256/ab/cd/<hash>``), so storing the same bytes twice is harmless
and a read can prove the bytes are intact.
"""

from ingest.storage.base import ObjectInfo, ObjectStore, content_key
from ingest.storage.factory import open_store

__all__ = ["ObjectInfo", "ObjectStore", "content_key", "open_store"]
