"""One module per conversation flow, each exposing ``router``."""
