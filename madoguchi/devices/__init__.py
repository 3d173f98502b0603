"""The hall's devices: My Number card reader (``card``), ticket printer (``printer``), camera and 2D codes
(``scanner``), speech and audio (``speech``).

Each device has a small interface (``interface.py``), the real implementation and a simulator that speaks the
real protocol (virtual card through pcscd + vpcd, printer on a loopback TCP port, camera from a video file).
Devices never import the server or an app.
"""
