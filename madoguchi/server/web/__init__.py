"""The hall server: FastAPI routes over ``HallService``, device/staff auth, the event stream, HTML pages."""

from madoguchi.server.web.app import ServerSettings, create_app

__all__ = ["ServerSettings", "create_app"]
