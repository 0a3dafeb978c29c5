"""Draw the site's favicon.ico and apple-touch-icon.png from the shapes of static/icons/favicon.svg.

Pillow cannot read SVG, so the few shapes are drawn again here, at 4x and scaled down for smooth
edges. Run it after changing the SVG: `.venv/bin/python scripts/make-icons.py`. The PNG and ICO
are committed, so that neither the site nor CI needs this script.
"""

from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parents[1] / "static" / "icons"
BLUE, WHITE, YELLOW = "#0b5394", "#ffffff", "#ffbf47"


def draw(size, background=None):
    scale = size * 4 / 64  # the SVG's viewBox is 64 units
    image = Image.new("RGBA", (size * 4, size * 4), background or (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)

    def box(cx, cy, rx, ry):
        return [(cx - rx) * scale, (cy - ry) * scale, (cx + rx) * scale, (cy + ry) * scale]

    line = round(3 * scale)
    pen.ellipse(box(32, 32, 30, 30), fill=BLUE)
    pen.ellipse(box(32, 32, 13, 30), outline=WHITE, width=line)
    for y, x0, x1 in [(32, 2, 62), (17, 7, 57), (47, 7, 57)]:
        pen.line([(x0 * scale, y * scale), (x1 * scale, y * scale)], fill=WHITE, width=line)
    # The arc (a quadratic curve in the SVG), as a polyline.
    points = []
    for step in range(21):
        t = step / 20
        x = (1 - t) ** 2 * 17 + 2 * (1 - t) * t * 30 + t**2 * 48
        y = (1 - t) ** 2 * 40 + 2 * (1 - t) * t * 6 + t**2 * 24
        points.append((x * scale, y * scale))
    pen.line(points, fill=YELLOW, width=round(4 * scale), joint="curve")
    for cx, cy in [(17, 40), (48, 24)]:
        pen.ellipse(box(cx, cy, 5, 5), fill=YELLOW)
    return image.resize((size, size), Image.LANCZOS)


def main():
    # Apple's touch icon is shown on a square: a white one, not a transparent one (black there).
    draw(180, background=WHITE).convert("RGB").save(ICONS / "apple-touch-icon.png", optimize=True)
    draw(32).save(ICONS / "favicon-32.png", optimize=True)
    draw(48).save(ICONS / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])


if __name__ == "__main__":
    main()
