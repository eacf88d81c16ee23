"""The web: FastAPI app with the REST API (/api/v1) and the SQLAdmin staff screens."""
