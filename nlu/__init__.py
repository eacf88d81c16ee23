"""Text -> intent + slots; FAQ retrieval. Knows nothing about chat channels."""
