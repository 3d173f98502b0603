"""Speech and audio: offline voices (pyopenjtalk, espeak-ng) rendered to WAV, and playing them."""
