"""Web pages served next to the Rasa server."""
