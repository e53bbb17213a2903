"""A video for Chromium's fake camera: a still picture (a QR PNG) as a few seconds of Y4M."""
from io import BytesIO
from pathlib import Path

from PIL import Image

WIDTH, HEIGHT, FRAMES = 640, 480, 20


def y4m_from_png(png: bytes, path: Path) -> Path:
    """Centre the picture on white at 640x480 and write it as YUV 4:2:0 frames."""
    picture = Image.open(BytesIO(png)).convert("RGB")
    picture.thumbnail((WIDTH - 40, HEIGHT - 40))
    frame = Image.new("RGB", (WIDTH, HEIGHT), "white")
    frame.paste(picture, ((WIDTH - picture.width) // 2, (HEIGHT - picture.height) // 2))
    y, u, v = frame.convert("YCbCr").split()
    half = (WIDTH // 2, HEIGHT // 2)
    planes = y.tobytes() + u.resize(half).tobytes() + v.resize(half).tobytes()
    with path.open("wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(FRAMES):
            video.write(b"FRAME\n" + planes)
    return path
