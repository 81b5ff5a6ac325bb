#!/usr/bin/env python3
"""Regenerates the per-code sections of docs/diagnostics.md from Diagnostics/Strings.resx.

The message text is the single source; the doc adds the range headings and keeps any hand-written
'What to do' notes found under a code's heading in the existing doc (everything after the message).
"""
import html, re, sys, xml.etree.ElementTree as ET
from pathlib import Path

root = Path(__file__).resolve().parent.parent
resx = root / "src/ContainerImage.Tasks/Diagnostics/Strings.resx"
doc = root / "docs/diagnostics.md"
entries = sorted((d.get("name"), d.find("value").text) for d in ET.parse(resx).getroot().iter("data"))
notes = {}
if doc.exists():
    for m in re.finditer(r"^## (CIMG\d{4})\n\n.*?\n\n(.*?)(?=^## |^# |\Z)", doc.read_text(), re.S | re.M):
        if m.group(2).strip():
            notes[m.group(1)] = m.group(2).strip()
ranges = {"1": "Registry (1xxx)", "2": "Invalid input (2xxx)", "3": "Engine and build (3xxx)",
          "4": "Missing inputs (4xxx)", "5": "The MSBuild surface (5xxx)"}
out = ["# Diagnostics", "",
       "Every problem ContainerImage.Sdk reports has a code `CIMGnnnn`, one per cause. In MSBuild it is",
       "reported at the project file and line of the item or property that caused it, e.g.",
       "`App.csproj(12,5): error CIMG2009: ...`; from C#, `ImageDefinitionException.Code` carries it.",
       "`{0}`-style placeholders below are filled with the offending value. CIMG1001 is a warning (the",
       "build goes on); every other code is an error.", ""]
current = None
for code, text in entries:
    r = code[4]
    if r != current:
        current = r
        out += [f"# {ranges[r]}", ""]
    out += [f"## {code}", "", text.split(": ", 1)[1], ""]
    if code in notes:
        out += [notes[code], ""]
doc.write_text("\n".join(out))
print(f"{len(entries)} codes written to {doc.relative_to(root)}")
