#!/usr/bin/env python3
"""Where the suite's time goes: the test classes with the longest wall-clock span in the TRX reports that
infra/test.sh writes (TestResults/trx). A class's span runs from its first test's start to its last test's end, so it
includes its fixture; classes of one assembly may overlap. Usage: infra/slowest.py DIR [N]."""
import glob, sys, xml.etree.ElementTree as ET
from datetime import datetime

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"

def moment(text):
    # .NET writes 7 fractional digits; Python takes 6.
    head, _, zone = text.partition("+")
    if "." in head:
        base, frac = head.split(".")
        head = f"{base}.{frac[:6]}"
    return datetime.fromisoformat(f"{head}+{zone}" if zone else head)

def main():
    folder, top = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 15
    classes = {}
    for path in glob.glob(f"{folder}/**/*.trx", recursive=True):
        for result in ET.parse(path).getroot().iter(f"{NS}UnitTestResult"):
            name = result.get("testName", "").split("(")[0].rsplit(".", 1)[0]
            if not result.get("startTime") or not result.get("endTime"):
                continue
            start, end = moment(result.get("startTime")), moment(result.get("endTime"))
            first, last, count = classes.get(name, (start, end, 0))
            classes[name] = (min(first, start), max(last, end), count + 1)
    if not classes:
        return
    rows = sorted(classes.items(), key=lambda kv: kv[1][1] - kv[1][0], reverse=True)[:top]
    print(f"slowest {len(rows)} of {len(classes)} test classes (wall-clock span, tests):")
    for name, (first, last, count) in rows:
        seconds = (last - first).total_seconds()
        print(f"  {int(seconds // 60):3d}m{int(seconds % 60):02d}s  {count:5d}  {name}")

if __name__ == "__main__":
    main()
