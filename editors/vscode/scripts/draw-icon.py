"""Draws images/icon.png, the extension's 128x128 marketplace icon, with the standard library only.

    python scripts/draw-icon.py

"HTTP" in a blocky type above three status lights (2xx green, 4xx amber, 5xx red) on a dark rounded
square. Everything is drawn at four times the size and averaged down, which smooths the curves.
"""

import struct
import zlib
from pathlib import Path

SIZE = 128
SCALE = 4
BACKGROUND = (30, 42, 58)
INK = (240, 244, 248)
LIGHTS = [(46, 204, 113), (243, 156, 18), (231, 76, 60)]

# 5x7 glyphs, one string per row, "#" is ink.
GLYPHS = {
    "H": ["#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"],
    "T": ["#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."],
    "P": ["####.", "#...#", "#...#", "####.", "#....", "#....", "#...."],
}


def inside_rounded_square(x: float, y: float, size: float, radius: float) -> bool:
    nearest_x = min(max(x, radius), size - radius)
    nearest_y = min(max(y, radius), size - radius)
    return (x - nearest_x) ** 2 + (y - nearest_y) ** 2 <= radius**2


def draw() -> list[list[tuple[int, int, int, int]]]:
    big = SIZE * SCALE
    canvas = [[(0, 0, 0, 0)] * big for _ in range(big)]

    def fill(test, colour):
        for y in range(big):
            row = canvas[y]
            for x in range(big):
                if test(x + 0.5, y + 0.5):
                    row[x] = (*colour, 255)

    fill(lambda x, y: inside_rounded_square(x, y, big, 24 * SCALE), BACKGROUND)

    cell = 4 * SCALE
    word = "HTTP"
    width = (len(word) * 6 - 1) * cell
    left, top = (big - width) // 2, 22 * SCALE
    for index, letter in enumerate(word):
        for row, line in enumerate(GLYPHS[letter]):
            for column, mark in enumerate(line):
                if mark == "#":
                    x0 = left + (index * 6 + column) * cell
                    y0 = top + row * cell
                    for y in range(y0, y0 + cell):
                        canvas[y][x0 : x0 + cell] = [(*INK, 255)] * cell

    radius = 14 * SCALE
    centre_y = 90 * SCALE
    for index, colour in enumerate(LIGHTS):
        centre_x = (30 + index * 34) * SCALE
        fill(lambda x, y, cx=centre_x: (x - cx) ** 2 + (y - centre_y) ** 2 <= radius**2, colour)

    # Average each SCALE x SCALE block, weighting colour by coverage so edges do not darken.
    pixels = []
    for y in range(SIZE):
        row = []
        for x in range(SIZE):
            block = [canvas[y * SCALE + dy][x * SCALE + dx] for dy in range(SCALE) for dx in range(SCALE)]
            alpha = sum(p[3] for p in block)
            if alpha == 0:
                row.append((0, 0, 0, 0))
                continue
            row.append((*(round(sum(p[c] * p[3] for p in block) / alpha) for c in range(3)), round(alpha / len(block))))
        pixels.append(row)
    return pixels


def png(pixels) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(channel for pixel in row for channel in pixel) for row in pixels)
    header = struct.pack(">IIBBBBB", len(pixels[0]), len(pixels), 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "images" / "icon.png"
    target.write_bytes(png(draw()))
    print(f"{target.name}: {target.stat().st_size} bytes")
