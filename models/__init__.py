"""The domain model and its persistence: the bottom layer, importing nothing above it."""
