"""Parse the ESC/POS bytes a ticket produces, so tests check what the printer receives."""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image, ImageChops

INIT = b"\x1b@"
RASTER = b"\x1dv0"
FEED = b"\x1bd"
FULL_CUT = b"\x1dV\x00"
PAPER_STATUS = b"\x10\x04\x04"


@dataclass
class Stream:
    commands: list[str] = field(default_factory=list)
    rasters: list[Image.Image] = field(default_factory=list)

    def image(self) -> Image.Image:
        """All raster fragments stacked, as a normal image (black = printed)."""
        width = max(r.width for r in self.rasters)
        out = Image.new("1", (width, sum(r.height for r in self.rasters)), 1)
        y = 0
        for raster in self.rasters:
            out.paste(raster, (0, y))
            y += raster.height
        return out


def parse(data: bytes) -> Stream:
    """Split ``data`` into known commands; any other byte (e.g. text) is an error."""
    stream, i = Stream(), 0
    while i < len(data):
        if data.startswith(INIT, i):
            stream.commands.append("init")
            i += len(INIT)
        elif data.startswith(PAPER_STATUS, i):
            stream.commands.append("paper_status")
            i += len(PAPER_STATUS)
        elif data.startswith(RASTER, i):
            i = _raster(data, i + len(RASTER), stream)
            stream.commands.append("raster")
        elif data.startswith(FEED, i):
            stream.commands.append(f"feed {data[i + 2]}")
            i += 3
        elif data.startswith(FULL_CUT, i):
            stream.commands.append("cut")
            i += len(FULL_CUT)
        else:
            raise AssertionError(f"unexpected bytes at {i}: {data[i : i + 16]!r}")
    return stream


def _raster(data: bytes, i: int, stream: Stream) -> int:
    density = data[i]
    assert density == 0, "normal (high) density"
    width_bytes = data[i + 1] | data[i + 2] << 8
    height = data[i + 3] | data[i + 4] << 8
    start = i + 5
    end = start + width_bytes * height
    assert end <= len(data), "raster data cut short"
    # In GS v 0 a set bit is a printed dot; in PIL mode "1" a set bit is white.
    raw = Image.frombytes("1", (width_bytes * 8, height), data[start:end])
    stream.rasters.append(ImageChops.invert(raw))
    return end
