"""Camera capture and 2D-code decoding (OpenCV + zxing-cpp), payload dispatch, video simulator."""
