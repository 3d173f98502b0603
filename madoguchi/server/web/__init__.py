"""The hall server's web side: FastAPI routes over ``HallService``, device/staff auth, the event stream, pages."""
