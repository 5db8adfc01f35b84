"""The concept diagrams: valid, accessible SVG that reads on any theme and at phone width."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from bands2vec_lib import diagrams
from bands2vec_lib.diagrams import CHAR, Box, Diagram, Dot

SVG = "{http://www.w3.org/2000/svg}"
DIAGRAMS = [
    diagrams.one_hot_lookup,
    diagrams.skip_gram_network,
    diagrams.sliding_window,
    diagrams.true_and_noise_pairs,
    diagrams.reviews_to_pairs,
    diagrams.training_loop,
    diagrams.tsne_kernels,
    diagrams.analogy_arrows,
    diagrams.identical_contexts,
]
PHONE = 360  # px: the narrowest page a diagram is shown on
MIN_FONT, MIN_PHONE_FONT = 13, 9  # px, at natural size and at phone width


@pytest.fixture(scope="module", params=DIAGRAMS, ids=lambda f: f.__name__)
def drawn(request) -> tuple[Diagram, ET.Element]:
    diagram = request.param()
    return diagram, ET.fromstring(diagram.svg)


def fonts(root: ET.Element) -> list[float]:
    return [float(e.get("font-size")) for e in root.iter() if e.get("font-size")]


def shapes(root: ET.Element) -> dict[str, Box | Dot]:
    """Every named shape (``data-box``) as a Box or a Dot."""
    found = {}
    for e in root.iter():
        name = e.get("data-box")
        if name is None:
            continue
        assert name not in found, f"two shapes named {name!r}"
        if e.tag == SVG + "rect":
            found[name] = Box(*(float(e.get(k)) for k in ("x", "y", "width", "height")))
        else:
            found[name] = Dot(*(float(e.get(k)) for k in ("cx", "cy", "r")))
    return found


def text_extent(e: ET.Element) -> tuple[float, float, float, float]:
    """A text's estimated box (left, top, right, bottom), as the module sizes text: 0.6 em a character."""
    size = float(e.get("font-size"))
    width = CHAR * size * len("".join(e.itertext()))
    x, baseline = float(e.get("x")), float(e.get("y"))
    left = {"start": x, "middle": x - width / 2, "end": x - width}[e.get("text-anchor")]
    return left, baseline - 0.85 * size, left + width, baseline + 0.25 * size


def test_every_diagram_parses_as_svg_with_its_natural_size(drawn):
    diagram, root = drawn
    assert root.tag == SVG + "svg"
    assert root.get("viewBox") == f"0 0 {diagrams._num(diagram.width)} {diagrams._num(diagram.height)}"
    assert root.get("width") == "100%"
    max_width = re.search(r"max-width:([\d.]+)px", root.get("style"))
    assert max_width and float(max_width.group(1)) == pytest.approx(diagram.width, abs=0.01)
    assert diagram.width <= 700
    assert diagram._repr_svg_() == diagram.svg == str(diagram)


def test_every_diagram_is_an_image_titled_with_its_alt_text(drawn):
    diagram, root = drawn
    assert root.get("role") == "img"
    title = root.find(SVG + "title")
    assert title is not None and title.text == diagram.alt
    assert root.get("aria-labelledby") == title.get("id")
    assert len(diagram.alt) > 40


def test_title_ids_differ_between_diagrams():
    ids = [ET.fromstring(f().svg).find(SVG + "title").get("id") for f in DIAGRAMS]
    assert len(set(ids)) == len(ids)


def test_every_diagram_follows_the_page_colour(drawn):
    diagram, root = drawn
    assert "currentColor" in diagram.svg
    for e in root.iter():
        for key in ("fill", "stroke"):
            value = (e.get(key) or "").lower()
            assert value not in ("white", "black", "#fff", "#ffffff", "#000", "#000000"), (e.tag, key, value)


def test_text_is_readable_at_natural_size_and_on_a_phone(drawn):
    diagram, root = drawn
    sizes = fonts(root)
    assert min(sizes) >= MIN_FONT
    assert min(sizes) * PHONE / diagram.width >= MIN_PHONE_FONT


def test_text_stays_inside_the_picture_and_inside_its_box(drawn):
    """Each text, sized as the module sizes it, lies in the viewBox and in the smallest named box around its anchor."""
    diagram, root = drawn
    boxes = [s for s in shapes(root).values() if isinstance(s, Box)]
    for e in root.iter(SVG + "text"):
        if e.get("transform"):
            continue  # rotated: drawn in the margin
        left, top, right, bottom = text_extent(e)
        label = "".join(e.itertext())
        assert left >= 0 and top >= 0 and right <= diagram.width and bottom <= diagram.height, label
        anchor = (float(e.get("x")), float(e.get("y")) - 0.35 * float(e.get("font-size")))
        around = [b for b in boxes if b.x <= anchor[0] <= b.right and b.y <= anchor[1] <= b.bottom]
        if around:
            box = min(around, key=lambda b: b.w * b.h)
            assert box.x <= left and right <= box.right and box.y <= top and bottom <= box.bottom, label


def test_every_arrow_ends_on_the_edge_of_the_shape_it_points_to(drawn):
    _, root = drawn
    named = shapes(root)
    arrows = [g for g in root.iter(SVG + "g") if g.get("class") == "arrow"]
    for arrow in arrows:
        target = named[arrow.get("data-to")]
        tip = tuple(float(v) for v in arrow.find(SVG + "polygon").get("points").split()[0].split(","))
        assert target.on_edge(tip, tol=0.02), (arrow.get("data-to"), tip, target)


@pytest.mark.parametrize("draw", DIAGRAMS, ids=lambda f: f.__name__)
def test_diagrams_are_deterministic(draw):
    assert draw().svg == draw().svg


def test_names_with_ampersands_and_dollars_are_escaped():
    names = ("simon & garfunkel", "a$ap rocky", "<b>", "coil", "elder ones", "black lips")
    for diagram in (
        diagrams.one_hot_lookup(names, index=0),
        diagrams.sliding_window(("salt", "&", "pepper", "a$ap"), centre=1, window=1),
        diagrams.true_and_noise_pairs("a$ap rocky", "simon & garfunkel", noise=("<b>",)),
        diagrams.analogy_arrows("simon & garfunkel", "a$ap rocky", "coil"),
    ):
        root = ET.fromstring(diagram.svg)  # a raw & or < would not parse
        texts = "\n".join("".join(e.itertext()) for e in root.iter(SVG + "text"))
        assert "&amp;" in diagram.svg and "<b>" not in diagram.svg
        assert "&" in texts and "$" in texts
        assert root.find(SVG + "title").text == diagram.alt


@pytest.mark.parametrize(
    ("box", "point", "edge"),
    [
        (Box(0, 0, 100, 40), (200, 20), (100, 20)),
        (Box(0, 0, 100, 40), (50, -100), (50, 0)),
        (Box(10, 10, 20, 20), (40, 40), (30, 30)),
    ],
)
def test_box_edge_points(box, point, edge):
    assert box.edge_towards(point) == pytest.approx(edge)
    assert box.on_edge(box.edge_towards(point))
    assert not box.on_edge((box.cx, box.cy))


def test_dot_edge_points_and_links():
    a, b = Dot(0, 0, 5), Dot(30, 40, 10)
    start, end = diagrams.link_points(a, b)
    assert start == pytest.approx((3, 4)) and end == pytest.approx((24, 32))
    assert a.on_edge(start) and b.on_edge(end)


def test_bad_arguments_say_what_is_wrong():
    with pytest.raises(ValueError, match="index"):
        diagrams.one_hot_lookup(index=6)
    with pytest.raises(ValueError, match="window"):
        diagrams.sliding_window(window=0)
    with pytest.raises(ValueError, match="k must be"):
        diagrams.true_and_noise_pairs(k=9)
    with pytest.raises(ValueError, match="twins"):
        diagrams.identical_contexts(twins=("coil", "coil"))


def test_longer_inputs_still_fit_a_phone():
    """A longer sentence wraps onto more rows, a wider window makes more pairs; both stay narrow."""
    sentence = "artists are the words of this course and their genres are the contexts".split()
    for diagram in (diagrams.sliding_window(sentence, centre=6, window=5), diagrams.true_and_noise_pairs(k=2)):
        root = ET.fromstring(diagram.svg)
        assert min(fonts(root)) * PHONE / diagram.width >= MIN_PHONE_FONT
