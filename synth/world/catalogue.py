"""The products a healthcare group buys, by vendor category, with units, prices and tax class.

Names are given in English (the ERP's product master) and German (what German vendors print); each
template expands into variants (sizes, strengths). Prices are per purchase unit in EUR; a vendor's
own price is derived from them with its own margin and currency.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from synth.identity import ean13
from synth.world.items import CatalogueItem
from synth.world.records import Product, ProductCategory
from synth.world.store import World
from synth.world.units import uom_named

MEDICAL, PHARMA, LAB, DENTAL, FACILITY, IT = (
    "Medical consumables", "Pharmaceuticals", "Laboratory reagents", "Dental supplies", "Facility services",
    "IT hardware & services")
CATEGORIES = (MEDICAL, PHARMA, LAB, DENTAL, FACILITY, IT)
CATEGORY_WEIGHTS = (0.30, 0.15, 0.14, 0.12, 0.15, 0.14)
_PREFIX = {MEDICAL: "MED", PHARMA: "PHA", LAB: "LAB", DENTAL: "DEN", FACILITY: "FAC", IT: "ITS"}


@dataclass(frozen=True)
class Template:
    en: str
    de: str
    variants: tuple[tuple[str, str], ...]  # (English suffix, German suffix); ("", "") for none
    uom_po: str
    low: str
    high: str
    reduced: bool = False  # 7% in Germany (medical aids, food)
    kind: str = "goods"  # goods | service
    on_order: bool = False  # billed on ordered quantities (purchase_method 'purchase')


def _t(en: str, de: str, variants: str, uom: str, low: str, high: str, **kw: bool | str) -> Template:
    pairs = tuple(tuple(v.split("|")) if "|" in v else (v, v) for v in variants.split(";")) if variants else (("", ""),)
    return Template(en, de, pairs, uom, low, high, **kw)  # type: ignore[arg-type]


TEMPLATES: dict[str, tuple[Template, ...]] = {
    MEDICAL: (
        _t("Nitrile examination gloves, powder-free", "Nitril-Untersuchungshandschuhe, puderfrei",
           "size S|Gr. S;size M|Gr. M;size L|Gr. L;size XL|Gr. XL", "Box of 100", "4.20", "9.80"),
        _t("Latex surgical gloves, sterile", "Latex-OP-Handschuhe, steril", "6.5;7.0;7.5;8.0", "Box of 50",
           "18.00", "32.00"),
        _t("Disposable syringe Luer lock", "Einmalspritze Luer-Lock", "2 ml;5 ml;10 ml;20 ml", "Box of 100",
           "6.50", "14.00"),
        _t("Hypodermic needle", "Injektionskanüle", "18G;21G;23G;27G", "Box of 100", "3.90", "7.50"),
        _t("Gauze swabs, 8-ply, sterile", "Mullkompressen, 8-fach, steril", "5x5 cm;7.5x7.5 cm;10x10 cm",
           "Pack of 10", "0.90", "2.40"),
        _t("IV administration set", "Infusionsgerät", "standard|Standard;needle-free port|nadelfreier Port",
           "Box of 50", "24.00", "48.00"),
        _t("Peripheral IV catheter", "Venenverweilkanüle", "18G;20G;22G", "Box of 50", "35.00", "60.00"),
        _t("Surgical face mask, type IIR", "OP-Mundschutz Typ IIR", "", "Box of 50", "4.50", "9.00"),
        _t("Isolation gown, fluid-resistant", "Schutzkittel, flüssigkeitsabweisend", "size M|Gr. M;size L|Gr. L",
           "Pack of 10", "9.00", "16.00"),
        _t("Alcohol prep pads", "Alkoholtupfer", "", "Box of 100", "1.80", "3.50"),
        _t("Adhesive wound dressing", "Wundverband, selbstklebend", "5x7.2 cm;8x10 cm;10x20 cm", "Box of 50",
           "6.00", "19.00"),
        _t("Absorbable suture, 70 cm", "Resorbierbares Nahtmaterial, 70 cm", "2-0;3-0;4-0", "Case of 12",
           "38.40", "75.60"),
        _t("Urine specimen container 100 ml", "Urinbecher 100 ml", "", "Box of 100", "9.00", "18.00"),
        _t("Elastic bandage", "Elastische Binde", "6 cm;8 cm;10 cm", "Pack of 10", "4.00", "8.00"),
        _t("Forearm crutch, adjustable", "Unterarmgehstütze, verstellbar", "", "Units", "14.00", "25.00",
           reduced=True),
        _t("Compression stockings, class II", "Kompressionsstrümpfe Klasse II", "size 2|Gr. 2;size 3|Gr. 3",
           "Units", "28.00", "45.00", reduced=True),
        _t("Hand disinfectant, 1000 ml", "Händedesinfektionsmittel, 1000 ml", "", "Case of 12", "54.00", "86.40"),
    ),
    PHARMA: (
        _t("Paracetamol 500 mg tablets, 20 pcs", "Paracetamol 500 mg Tabletten, 20 St.", "", "Units", "1.20", "2.80"),
        _t("Ibuprofen film-coated tablets, 50 pcs", "Ibuprofen Filmtabletten, 50 St.", "400 mg;600 mg", "Units",
           "3.10", "6.90"),
        _t("Amoxicillin 1000 mg tablets, 20 pcs", "Amoxicillin 1000 mg Tabletten, 20 St.", "", "Units",
           "8.50", "14.20"),
        _t("Sodium chloride 0.9% infusion, 500 ml", "Natriumchlorid 0,9% Infusionslösung, 500 ml", "",
           "Case of 12", "12.00", "22.80"),
        _t("Ringer's lactate solution, 1000 ml", "Ringer-Laktat-Lösung, 1000 ml", "", "Case of 12", "18.00", "30.00"),
        _t("Heparin sodium 5,000 IU/ml, 10 x 1 ml", "Heparin-Natrium 5.000 I.E./ml, 10 x 1 ml", "", "Units",
           "18.00", "35.00"),
        _t("Lidocaine 1% ampoules, 10 x 5 ml", "Lidocain 1%, 10 Amp. à 5 ml", "", "Units", "8.00", "15.00"),
        _t("Omeprazole 20 mg capsules, 100 pcs", "Omeprazol 20 mg Kapseln, 100 St.", "", "Units", "11.00", "19.00"),
        _t("Metamizole 500 mg/ml injection, 10 x 2 ml", "Metamizol 500 mg/ml Injektionslösung, 10 x 2 ml", "",
           "Units", "9.50", "17.00"),
        _t("Ondansetron 4 mg injection, 5 x 2 ml", "Ondansetron 4 mg Injektionslösung, 5 x 2 ml", "", "Units",
           "12.00", "24.00"),
        _t("Ceftriaxone 2 g powder for infusion, 10 vials", "Ceftriaxon 2 g Pulver, 10 Durchstechfl.", "", "Units",
           "38.00", "65.00"),
        _t("Prednisolone 20 mg tablets, 50 pcs", "Prednisolon 20 mg Tabletten, 50 St.", "", "Units", "6.00", "11.00"),
        _t("Enoxaparin pre-filled syringes, 10 pcs", "Enoxaparin Fertigspritzen, 10 St.", "40 mg;60 mg", "Units",
           "32.00", "58.00"),
    ),
    LAB: (
        _t("Blood collection tube", "Blutentnahmeröhrchen",
           "EDTA K3, 2.7 ml|EDTA K3, 2,7 ml;serum gel, 4.9 ml|Serum-Gel, 4,9 ml;citrate, 3 ml|Citrat, 3 ml",
           "Box of 50", "8.00", "16.00"),
        _t("Pipette tips, racked", "Pipettenspitzen im Rack", "10 µl;200 µl;1000 µl", "Rack of 96", "3.84",
           "7.68"),
        _t("CRP reagent kit, 200 tests", "CRP-Reagenzienkit, 200 Tests", "", "Units", "140.00", "260.00"),
        _t("HbA1c control set, 2 levels", "HbA1c-Kontrollset, 2 Level", "", "Units", "60.00", "120.00"),
        _t("Glucose calibrator", "Glukose-Kalibrator", "", "Units", "35.00", "80.00"),
        _t("Microscope slides, frosted end", "Objektträger mit Mattrand", "", "Box of 50", "3.00", "6.00"),
        _t("Petri dishes 90 mm, sterile", "Petrischalen 90 mm, steril", "", "Box of 50", "6.00", "11.00"),
        _t("Urine test strips, 10 parameters", "Urinteststreifen, 10 Parameter", "", "Units", "18.00", "32.00"),
        _t("Columbia blood agar plates", "Columbia-Blutagarplatten", "", "Pack of 10", "9.00", "16.00"),
        _t("Cryo vials 2 ml", "Kryoröhrchen 2 ml", "", "Box of 100", "12.00", "22.00"),
        _t("Ethanol absolute, 2.5 L", "Ethanol absolut, 2,5 L", "", "Units", "28.00", "48.00"),
        _t("Buffer solution, 500 ml", "Pufferlösung, 500 ml", "pH 4.01|pH 4,01;pH 7.00|pH 7,00", "Units",
           "9.00", "17.00"),
    ),
    DENTAL: (
        _t("Composite syringe, 4 g", "Komposit-Spritze, 4 g", "A1;A2;A3;A3.5", "Units", "22.00", "39.00"),
        _t("Alginate impression material, 453 g", "Alginat-Abformmasse, 453 g", "", "Units", "9.00", "16.00"),
        _t("Diamond burs FG, assorted", "Diamantschleifer FG, sortiert", "", "Pack of 10", "18.00", "35.00"),
        _t("Articaine 4% with epinephrine, 50 cartridges", "Articain 4% mit Adrenalin, 50 Zylinderampullen", "",
           "Units", "28.00", "45.00"),
        _t("Prophy paste, 200 cups", "Polierpaste, 200 Portionen", "medium;coarse|grob", "Units", "25.00", "42.00"),
        _t("Saliva ejectors", "Speichelsauger", "", "Box of 100", "3.50", "7.00"),
        _t("Dental bibs, 2-ply", "Patientenservietten, 2-lagig", "", "Box of 100", "4.00", "8.00"),
        _t("Impression trays, perforated", "Abformlöffel, perforiert", "S;M;L", "Pack of 10", "6.00", "12.00"),
        _t("Endodontic files, 25 mm", "Wurzelkanalfeilen, 25 mm", "ISO 15;ISO 20;ISO 25", "Pack of 10",
           "8.00", "14.00"),
        _t("Glass ionomer cement", "Glasionomerzement", "", "Units", "45.00", "80.00"),
        _t("Cotton rolls", "Watterollen", "size 2|Gr. 2;size 3|Gr. 3", "Box of 100", "2.00", "4.00"),
    ),
    FACILITY: (
        _t("Cleaning services, clinical areas", "Unterhaltsreinigung Klinikbereiche", "", "Hours", "24.00", "38.00",
           kind="service", on_order=True),
        _t("Window cleaning", "Glasreinigung", "", "Hours", "28.00", "42.00", kind="service", on_order=True),
        _t("Infectious waste collection, 60 L bin", "Entsorgung infektiöser Abfall, 60-L-Tonne", "", "Units",
           "18.00", "35.00", kind="service", on_order=True),
        _t("Laundry service, surgical textiles", "Wäscheservice OP-Textilien", "", "kg", "2.10", "3.80",
           kind="service", on_order=True),
        _t("Pest control inspection", "Schädlingsbekämpfung, Kontrollgang", "", "Units", "85.00", "160.00",
           kind="service", on_order=True),
        _t("HVAC maintenance", "Wartung Lüftungsanlage", "", "Hours", "68.00", "110.00", kind="service",
           on_order=True),
        _t("Security guard service", "Sicherheitsdienst", "", "Hours", "26.00", "40.00", kind="service",
           on_order=True),
        _t("Patient catering, lunch menu", "Patientenverpflegung, Mittagsmenü", "", "Units", "6.50", "11.00",
           reduced=True, on_order=True),
        _t("Linen rental, bed set", "Mietwäsche Bettgarnitur", "", "Units", "1.80", "3.50", kind="service",
           on_order=True),
        _t("Elevator maintenance, quarterly", "Aufzugswartung, quartalsweise", "", "Units", "240.00", "480.00",
           kind="service", on_order=True),
        _t("Medical oxygen, 10 L cylinder", "Medizinischer Sauerstoff, 10-L-Flasche", "", "Units", "18.00",
           "30.00"),
        _t("Winter service, per call-out", "Winterdienst, je Einsatz", "", "Units", "90.00", "180.00",
           kind="service", on_order=True),
    ),
    IT: (
        _t("Laptop 14 inch, 16 GB RAM, 512 GB SSD", "Notebook 14 Zoll, 16 GB RAM, 512 GB SSD", "", "Units",
           "780.00", "1290.00"),
        _t("Monitor 27 inch QHD", "Monitor 27 Zoll QHD", "", "Units", "210.00", "340.00"),
        _t("USB-C docking station", "USB-C-Dockingstation", "", "Units", "120.00", "220.00"),
        _t("Toner cartridge, black", "Tonerkartusche schwarz", "standard;high yield|hohe Reichweite", "Units",
           "65.00", "140.00"),
        _t("Network switch, 24-port PoE", "Netzwerk-Switch, 24 Port PoE", "", "Units", "380.00", "690.00"),
        _t("Patch cable Cat6", "Patchkabel Cat6", "1 m;2 m;5 m", "Pack of 10", "12.00", "22.00"),
        _t("2D barcode scanner, USB", "2D-Barcodescanner, USB", "", "Units", "140.00", "260.00"),
        _t("Microsoft 365 E3 licence, monthly", "Microsoft 365 E3 Lizenz, monatlich", "", "Units", "30.00",
           "36.00", kind="service", on_order=True),
        _t("IT support, remote", "IT-Support, remote", "", "Hours", "75.00", "120.00", kind="service",
           on_order=True),
        _t("On-site technician", "Techniker vor Ort", "", "Hours", "85.00", "135.00", kind="service",
           on_order=True),
        _t("Thermal transfer ribbons", "Thermotransfer-Farbbänder", "", "Pack of 10", "30.00", "55.00"),
        _t("Patient wristbands, thermal", "Patientenarmbänder, Thermodruck", "", "Box of 100", "18.00", "34.00"),
        _t("Backup storage, per TB and month", "Backup-Speicher je TB und Monat", "", "Units", "18.00", "30.00",
           kind="service", on_order=True),
    ),
}
FREIGHT = Template("Freight and packaging", "Fracht und Verpackung", (("", ""),), "Units", "15.00", "95.00",
                   kind="service", on_order=True)


def build_catalogue(world: World, rng: random.Random) -> dict[str, list[CatalogueItem]]:
    items: dict[str, list[CatalogueItem]] = {}
    counter = 0
    for category in (*CATEGORIES, "Freight"):
        categ = ProductCategory(world.next_id("product.category"), category)
        world.product_categories.append(categ)
        templates = TEMPLATES.get(category, (FREIGHT,))
        items[category] = []
        for template in templates:
            for en_suffix, de_suffix in template.variants:
                counter += 1
                en = f"{template.en}, {en_suffix}" if en_suffix else template.en
                de = f"{template.de}, {de_suffix}" if de_suffix else template.de
                uom_po = uom_named(world, template.uom_po)
                reference = next(u for u in world.uoms if u.category_id == uom_po.category_id
                                 and u.uom_type == "reference")
                service = template.kind == "service"
                prefix = "FRT" if category == "Freight" else _PREFIX[category]
                product = Product(world.next_id("product.product"), en, f"{prefix}-{counter:05d}",
                                  None if service else ean13(rng), reference.id, uom_po.id, categ.id,
                                  "service" if service else "consu", not service and not template.on_order,
                                  "purchase" if template.on_order else "receive")
                world.products.append(product)
                item = CatalogueItem(product.id, category, en, de, Decimal(template.low),
                                     Decimal(template.high), template.reduced)
                items[category].append(item)
                world.items[product.id] = item
    return items
