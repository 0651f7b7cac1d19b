"""The portal's Word documents look alike: 宋体 body, 黑体 headings in party red (the monthly
bulletin, the printed ledger). python-docx helpers both use."""

from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
PARTY_RED = RGBColor(0xB2, 0x22, 0x22)


def east_asian(style_or_run, name: str):
    """Set the font for Latin and Chinese text (Word keeps them apart: w:eastAsia)."""
    style_or_run.font.name = name
    fonts = style_or_run.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:eastAsia"), name)


def portal_styles(doc):
    """Body 10.5 pt 宋体; title and headings 黑体, the title and first level in party red."""
    normal = doc.styles["Normal"]
    east_asian(normal, BODY_FONT)
    normal.font.size = Pt(10.5)
    for name, size in (("Title", 26), ("Heading 1", 16), ("Heading 2", 13)):
        style = doc.styles[name]
        east_asian(style, HEADING_FONT)
        style.font.size = Pt(size)
        style.font.color.rgb = PARTY_RED if name != "Heading 2" else RGBColor(0, 0, 0)
