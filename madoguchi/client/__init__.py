"""The hall server's client: HTTP requests and the WebSocket event stream (httpx, websockets). No Qt, no database."""
