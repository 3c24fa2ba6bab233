"""Share cards: the 1200x630 PNG that link previews show, drawn with Pillow.

A claim's card shows the claim, the verdict (colour, shape and label) and the
site's name, so a shared link tells the reader the verdict before any click.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .card_faces import ClaimFace, SiteFace, claim_face, site_face
from ..model.site import Claim, SiteConfig

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
INK = (28, 30, 33)
MUTED = (86, 91, 99)
PAPER = (255, 255, 255)
BAND = (15, 61, 102)
FONT_FOLDERS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
                Path("/Library/Fonts"), Path("C:/Windows/Fonts"))


@lru_cache(maxsize=None)
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    """DejaVu where installed (Debian: fonts-dejavu-core), else Pillow's own scalable font."""
    for folder in FONT_FOLDERS:
        path = folder / name
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


# Characters of one text that a card looks at: more never fits, and Pillow refuses to lay out
# a million. (The field checks keep claims far shorter; this guards what reaches a card anyway.)
MAX_CARD_TEXT = 2000


def wrap(draw: ImageDraw.ImageDraw, text: str, face, width: int, max_lines: int) -> list[str]:
    """``text`` broken into lines that fit ``width``; the last line ends in … if cut.

    Linear in the length of the text: words are measured until one line more than is
    shown, and a word too long for a line is cut by halving, not a character at a time."""
    lines: list[str] = []
    line = ""
    for word in text[:MAX_CARD_TEXT].split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=face) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
            if len(lines) > max_lines:
                break
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while " " in last and draw.textlength(last + "…", font=face) > width:
            last = last.rsplit(" ", 1)[0]
        lines[-1] = fit(draw, last + "…", face, width)
    return lines


def fit(draw: ImageDraw.ImageDraw, text: str, face, width: int) -> str:
    """``text`` if it fits ``width`` on one line, else the longest start of it that fits with
    "…" after it, found by halving: a few measurements, not one per character."""
    text = text[:MAX_CARD_TEXT]
    if draw.textlength(text, font=face) <= width:
        return text
    text = text.removesuffix("…")
    fits, too_long = 0, len(text)  # text[:fits] + "…" fits; text[:too_long] + "…" does not
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        if draw.textlength(text[:middle] + "…", font=face) <= width:
            fits = middle
        else:
            too_long = middle
    return text[:fits] + "…"


def one_line(text: str) -> str:
    """``text`` with any line break (YAML keeps them, and Unicode has several) made a space:
    Pillow cannot measure or lay out several lines in one call."""
    return " ".join(text.split())


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    # Level 3: zlib below that saves little time, above it costs more than it saves bytes.
    image.save(buffer, format="PNG", optimize=False, compress_level=3)
    return buffer.getvalue()


def draw_frame(site_title: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, HEIGHT - 96, WIDTH, HEIGHT), fill=BAND)
    face = font("DejaVuSans-Bold.ttf", 34)
    draw.text((MARGIN, HEIGHT - 48), fit(draw, one_line(site_title), face, WIDTH - 2 * MARGIN), font=face, fill=PAPER,
              anchor="lm")
    return image, draw


def draw_badge(draw: ImageDraw.ImageDraw, card: ClaimFace, x: int, y: int) -> None:
    face = font("DejaVuSans-Bold.ttf", 40)
    label = fit(draw, one_line(card.verdict_label).upper(), face, WIDTH - 2 * MARGIN - 120)
    width = int(draw.textlength(label, font=face)) + 120
    draw.rounded_rectangle((x, y, x + width, y + 76), radius=38, fill=hex_to_rgb(card.verdict_colour))
    draw_icon(draw, card.verdict_icon, x + 24, y + 16, 44)
    draw.text((x + 82, y + 38), label, font=face, fill=PAPER, anchor="lm")


def draw_icon(draw: ImageDraw.ImageDraw, icon: str, x: int, y: int, size: int) -> None:
    """The badge's shape, as on the page: a tick, cross, question mark and so on."""
    def at(px: float, py: float) -> tuple[float, float]:
        return x + px * size / 16, y + py * size / 16

    stroke = dict(fill=PAPER, width=max(3, size // 8), joint="curve")
    if icon in ("check", "mostly"):
        draw.line([at(3, 8.5), at(6.2, 11.7), at(13, 5)], **stroke)
    elif icon == "cross":
        draw.line([at(4.5, 4.5), at(11.5, 11.5)], **stroke)
        draw.line([at(11.5, 4.5), at(4.5, 11.5)], **stroke)
    else:
        mark = {"info": "i", "warning": "!", "question": "?"}.get(icon, "?")
        draw.text(at(8, 8), mark, font=font("DejaVuSans-Bold.ttf", size), fill=PAPER, anchor="mm")


def claim_card(claim: Claim, config: SiteConfig) -> bytes:
    return draw_claim_card(claim_face(claim, config))


def draw_claim_card(card: ClaimFace) -> bytes:
    """The card of a claim, drawn from its face alone (card_faces.py), so that the face's
    digest tells when it must be drawn again."""
    image, draw = draw_frame(card.site_title)
    draw.text((MARGIN, 64), card.kicker, font=font("DejaVuSans-Bold.ttf", 26), fill=MUTED)
    face = font("DejaVuSerif.ttf", 50)
    lines = wrap(draw, card.claim, face, WIDTH - 2 * MARGIN, 4)
    y = 118
    for line in lines:
        draw.text((MARGIN, y), line, font=face, fill=INK)
        y += 64
    face = font("DejaVuSans.ttf", 30)
    draw.text((MARGIN, y + 10), fit(draw, f"— {one_line(card.claimant)}", face, WIDTH - 2 * MARGIN), font=face,
              fill=MUTED)
    draw_badge(draw, card, MARGIN, HEIGHT - 96 - 40 - 76)
    return png(image)


def site_card(config: SiteConfig) -> bytes:
    return draw_site_card(site_face(config))


def draw_site_card(card: SiteFace) -> bytes:
    image, draw = draw_frame(card.title)
    y = 150
    for line in wrap(draw, card.title, font("DejaVuSans-Bold.ttf", 72), WIDTH - 2 * MARGIN, 2):
        draw.text((MARGIN, y), line, font=font("DejaVuSans-Bold.ttf", 72), fill=INK)
        y += 88
    for line in wrap(draw, card.tagline, font("DejaVuSerif.ttf", 40), WIDTH - 2 * MARGIN, 3):
        draw.text((MARGIN, y + 16), line, font=font("DejaVuSerif.ttf", 40), fill=MUTED)
        y += 54
    return png(image)
